//! The database: SQLite (embedded default) or PostgreSQL, chosen by `DATABASE_URL`, and
//! [`SqlStore`], the one implementation of every area's storage port (`app::ports`), one module
//! per business area (`db/<area>.rs`) with shared helpers in `db/sql.rs`.
//!
//! Queries are written once in SQL both engines understand (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`) and run against either pool through [`on_db!`], which type-checks each body for
//! both backends without spelling out sqlx's generic bounds.

mod cart;
mod catalog;
pub mod catalog_seed;
mod crm;
pub mod demo;
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
use notifications::{event, outbox};

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
            Db::Sqlite(pool) => {
                let migrator = sqlx::migrate!("../migrations/sqlite");
                adopt_schema_before_areas(self, &migrator, BEFORE_AREAS_SQLITE).await?;
                migrator.run(pool).await?
            }
            Db::Postgres(pool) => {
                let migrator = sqlx::migrate!("../migrations/postgres");
                adopt_schema_before_areas(self, &migrator, BEFORE_AREAS_POSTGRES).await?;
                migrator.run(pool).await?
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Closes the connections (a restored file can then be replaced or removed).
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }

    /// A consistent copy of the embedded database into `to` (which must not exist), safe while the
    /// server runs: `VACUUM INTO` reads one snapshot and writers carry on. PostgreSQL is backed up
    /// with its own tools (`pg_dump`). Answers the size of the copy.
    pub async fn backup(&self, to: &Path) -> Result<u64, String> {
        let Db::Sqlite(pool) = self else {
            return Err("PostgreSQL is backed up with pg_dump (see README, \"Backup and restore\")".into());
        };
        if to.exists() {
            return Err(format!("{} already exists; choose a new file", to.display()));
        }
        let target = to.to_str().ok_or("the backup path must be valid UTF-8")?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await.map_err(|e| format!("backup: {e}"))?;
        std::fs::metadata(to).map(|m| m.len()).map_err(|e| format!("backup: {e}"))
    }
}

/// Puts a backup made by [`Db::backup`] in place of the embedded database in `data_dir`, with the
/// server stopped. The backup is checked first (SQLite's integrity check, Kabinet's migrations
/// table); the database it replaces is kept beside it as `kabinet.db.before-restore-<time>`, so
/// nothing is lost. Answers where the old database went, if there was one.
pub async fn restore(from: &Path, data_dir: &Path) -> Result<Option<std::path::PathBuf>, String> {
    let options = SqliteConnectOptions::new().filename(from).read_only(true);
    let check = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await;
    let check = check.map_err(|e| format!("{} is not a readable SQLite database: {e}", from.display()))?;
    let verdict: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&check).await.map_err(|e| e.to_string())?;
    let migrations: Result<i64, _> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&check).await;
    check.close().await;
    if verdict != "ok" {
        return Err(format!("{} fails SQLite's integrity check: {verdict}", from.display()));
    }
    if !migrations.is_ok_and(|n| n > 0) {
        return Err(format!("{} is not a Kabinet database", from.display()));
    }
    std::fs::create_dir_all(data_dir).map_err(|e| e.to_string())?;
    let live = data_dir.join("kabinet.db");
    let mut kept = None;
    if live.exists() {
        let aside = data_dir.join(format!("kabinet.db.before-restore-{}", chrono::Utc::now().format("%Y%m%dT%H%M%S")));
        std::fs::rename(&live, &aside).map_err(|e| e.to_string())?;
        for suffix in ["-wal", "-shm"] {
            let side = data_dir.join(format!("kabinet.db{suffix}"));
            if side.exists() {
                std::fs::rename(&side, data_dir.join(format!("{}{suffix}", aside.display())))
                    .map_err(|e| e.to_string())?;
            }
        }
        kept = Some(aside);
    }
    std::fs::copy(from, &live).map_err(|e| format!("restore: {e}"))?;
    Ok(kept)
}

/// The checksums (SHA-384) of migration 0002 as it was before the buyer path was cut into one
/// migration per area: it held the catalog and also carts, orders, invoices and payments.
const BEFORE_AREAS_SQLITE: &str =
    "5a448ee60c94c9ef9871326907043cce3ed272e493ae48442147a7730e281d11441396c46327c425faaad3250ee63a55";
const BEFORE_AREAS_POSTGRES: &str =
    "748294bbbbe7708e8da0b32e96d0b54b09a9523f9a49c2b4b14e867b24232224fc94258a90b0d86f1044a66f622c3e64";

/// A database migrated before that cut is adopted, not refused: its 0002 is recorded as the new
/// 0002 and 0003–0006 (whose tables the old 0002 created) as applied, in one transaction. A fresh
/// database, or one already adopted, is left alone.
async fn adopt_schema_before_areas(
    db: &Db,
    migrator: &sqlx::migrate::Migrator,
    old_checksum: &str,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        // No migrations table yet: a fresh database.
        let Ok(Some((applied,))) = sqlx::query_as::<_, (Vec<u8>,)>("SELECT checksum FROM _sqlx_migrations WHERE version = 2")
            .fetch_optional(pool)
            .await
        else {
            return Ok(());
        };
        let old: Vec<u8> = (0..old_checksum.len() / 2)
            .filter_map(|i| u8::from_str_radix(&old_checksum[2 * i..2 * i + 2], 16).ok())
            .collect();
        if applied != old {
            return Ok(());
        }
        tracing::info!("adopting a database migrated before the migrations were cut by business area");
        let mut tx = pool.begin().await?;
        for m in migrator.iter().filter(|m| (2..=6).contains(&m.version)) {
            if m.version == 2 {
                sqlx::query("UPDATE _sqlx_migrations SET checksum = $1, description = $2 WHERE version = 2")
                    .bind(m.checksum.to_vec())
                    .bind(m.description.to_string())
                    .execute(&mut *tx)
                    .await?;
            } else {
                sqlx::query(
                    "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                     VALUES ($1, $2, TRUE, $3, 0)",
                )
                .bind(m.version)
                .bind(m.description.to_string())
                .bind(m.checksum.to_vec())
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await
    })
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
    pub(super) catalog_index: catalog::SharedIndex,
    pub(super) catalog_memo: catalog::Memo,
}

impl SqlStore {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            search_cache: Default::default(),
            catalog_index: Default::default(),
            catalog_memo: Default::default(),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn begin_write(&self) -> &'static str {
        // SQLite: take the write lock up front, so a transaction that reads before it writes never
        // fails to upgrade under concurrent writers.
        match self.db() {
            Db::Sqlite(_) => "BEGIN IMMEDIATE",
            Db::Postgres(_) => "BEGIN",
        }
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
