//! The two migration trees describe the same database: every table and column of one is in the
//! other (SQLite's full-text index tables aside, which PostgreSQL replaces by a GIN index).

use std::collections::BTreeSet;

use server::db::Db;

use crate::helpers::{Backend, spawn_app};

/// Tables only one engine has by nature.
fn engine_specific(table: &str) -> bool {
    table.starts_with("_sqlx") || table.starts_with("products_fts") || table.starts_with("sqlite_")
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
