//! The two migration trees describe the same database: every table and column of one is in the
//! other (the engines' own bookkeeping tables aside).

use std::collections::BTreeSet;

use server::db::Db;

use crate::helpers::{Backend, TempDir, fresh_postgres, random_suffix, spawn_app};

/// Tables only one engine has by nature.
fn engine_specific(table: &str) -> bool {
    table.starts_with("_sqlx") || table.starts_with("sqlite_")
}

async fn columns(db: &Db) -> BTreeSet<(String, String)> {
    let rows: Vec<(String, String)> = match db {
        Db::Sqlite(pool) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
        )
        .fetch_all(pool)
        .await
        .expect("SQLite schema"),
        Db::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
        )
        .fetch_all(pool)
        .await
        .expect("PostgreSQL schema"),
    };
    rows.into_iter().filter(|(table, _)| !engine_specific(table)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_trees_give_the_same_tables_and_columns() {
    let sqlite = columns(&spawn_app(Backend::Sqlite).await.db).await;
    assert!(sqlite.len() > 50, "the SQLite schema was read: {sqlite:?}");
    let Some(postgres) = Backend::postgres() else { return };
    let postgres = columns(&spawn_app(postgres).await.db).await;
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_postgres:?}"
    );
}

/// A database migrated before the migrations were cut by business area (0002 then held carts,
/// orders, invoices and payments too) opens, is adopted, and ends with the same schema as a new one.
async fn databases_from_before_the_area_cut_are_adopted(backend: Backend) {
    let fixture = |engine: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations-before-areas").join(engine)
    };
    let dir = TempDir(std::env::temp_dir().join(format!("kabinet-adopt-{}", random_suffix())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let url = match &backend {
        Backend::Sqlite => format!("sqlite:{}", dir.0.join("old.db").display()),
        Backend::Postgres(admin) => fresh_postgres(admin).await,
    };
    // The database as the previous release left it: migrated by the old files, with a cart in it.
    {
        let old = sqlx::migrate::Migrator::new(fixture(if url.starts_with("sqlite") { "sqlite" } else { "postgres" }))
            .await
            .expect("old migrations");
        match &url {
            u if u.starts_with("sqlite") => {
                let options = u.parse::<sqlx::sqlite::SqliteConnectOptions>().expect("url").create_if_missing(true);
                let pool = sqlx::SqlitePool::connect_with(options).await.expect("sqlite");
                old.run(&pool).await.expect("old schema");
                sqlx::query("INSERT INTO carts (guest_token_hash, updated_at) VALUES ('kept', '2026-01-01T00:00:00Z')")
                    .execute(&pool)
                    .await
                    .expect("a cart");
                pool.close().await;
            }
            u => {
                let pool = sqlx::PgPool::connect(u).await.expect("postgres");
                old.run(&pool).await.expect("old schema");
                sqlx::query("INSERT INTO carts (guest_token_hash, updated_at) VALUES ('kept', now())")
                    .execute(&pool)
                    .await
                    .expect("a cart");
                pool.close().await;
            }
        }
    }
    let db = Db::open(Some(&url), &dir.0).await.expect("the old database opens and is adopted");
    let again = Db::open(Some(&url), &dir.0).await.expect("and opens again");
    let kept: i64 = match &again {
        Db::Sqlite(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM carts WHERE guest_token_hash = 'kept'").fetch_one(pool).await
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM carts WHERE guest_token_hash = 'kept'").fetch_one(pool).await
        }
    }
    .expect("count");
    assert_eq!(kept, 1, "nothing stored is lost");
    let fresh = spawn_app(backend).await;
    assert_eq!(columns(&db).await, columns(&fresh.db).await);
}

crate::on_both_backends!(databases_from_before_the_area_cut_are_adopted);
