//! The database: SQLite (embedded default) or PostgreSQL, chosen by `DATABASE_URL`, and
//! [`SqlStore`], the one implementation of every area's storage port (`app::ports`), one module
//! per business area (`db/<area>.rs`) with shared helpers in `db/sql.rs`.
//!
//! Queries are written once in SQL both engines understand (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`) and run against either pool through [`on_db!`], which type-checks each body for
//! both backends without spelling out sqlx's generic bounds.

mod cart;
mod catalog;
mod identity;
mod invoicing;
mod notifications;
mod ordering;
mod payments;
mod search_cache;
pub(crate) mod sql;

use std::path::Path;
use std::str::FromStr;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use app::ports::{Store, StoreResult};
use async_trait::async_trait;

pub use catalog::ProductChange;
use notifications::outbox;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool `$db` holds, binding it to `$pool`.
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

impl Db {
    /// Connects and applies migrations.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Self, sqlx::Error> {
        let db = match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Db::Postgres(PgPoolOptions::new().max_connections(20).connect(url).await?)
            }
            Some(url) if url.starts_with("sqlite:") => {
                Db::Sqlite(sqlite_pool(SqliteConnectOptions::from_str(url)?).await?)
            }
            Some(other) => {
                return Err(sqlx::Error::Configuration(
                    format!("DATABASE_URL must start with postgres:// or sqlite:, not {other:?}").into(),
                ));
            }
            None => {
                std::fs::create_dir_all(data_dir).map_err(sqlx::Error::Io)?;
                let options = SqliteConnectOptions::new().filename(data_dir.join("kabinet.db"));
                Db::Sqlite(sqlite_pool(options).await?)
            }
        };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), sqlx::Error> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

async fn sqlite_pool(options: SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10));
    SqlitePoolOptions::new().max_connections(8).connect_with(options).await
}

pub struct SqlStore {
    db: Db,
    pub(super) search_cache: search_cache::SearchCache,
}

impl SqlStore {
    pub fn new(db: Db) -> Self {
        Self { db, search_cache: Default::default() }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        on_db!(&self.db, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()).map_err(sql::other))
    }
}

/// One audit record inside the caller's transaction.
macro_rules! audit {
    ($tx:expr, $actor:expr, $now:expr, $action:expr, $entity:expr, $entity_id:expr, $before:expr, $after:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_user_id, actor_role, action, entity, entity_id, before_state, after_state, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind($now)
        .bind($actor.user_id)
        .bind($actor.role.map(|r: domain::Role| r.code()))
        .bind($action)
        .bind($entity)
        .bind($entity_id)
        .bind($before)
        .bind($after)
        .bind($actor.request_id.as_deref())
        .execute(&mut *$tx)
        .await
        .map_err($crate::db::sql::other)?
    };
}
pub(crate) use audit;
