//! Catalog area: search with facets over the in-memory index (`index.rs`), kept in step with the
//! database. Every search reads the catalog's version — the newest `products.updated_at`, which
//! every price, stock or reservation change moves, on whichever app server made it (one indexed
//! read) — and when it moved, the products changed since are read and their prices and stock
//! patched into the index; a change to anything else (a new, hidden or renamed product) builds the
//! index again. Changes are read with an overlap of a few seconds, so a transaction that commits
//! later than a newer one is not missed; patching twice is harmless. As a safety net for writes
//! that do not move `updated_at` (attributes or category names edited by hand), the index is also
//! rebuilt in the background every [`REBUILD_EVERY`].

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use app::ports::{CatalogQuery, CatalogResult, ProductDetails, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

use super::index::{CatalogIndex, Loaded};
use super::{PRODUCT_COLUMNS, ProductRow};
use crate::db::sql::*;
use crate::db::{Db, SqlStore, on_db};

/// How far back changes are read again (a writer's transaction may commit after a newer one).
const OVERLAP: chrono::TimeDelta = chrono::TimeDelta::seconds(3);
/// More changed products than this at once (an import): the index is built again instead.
const MAX_PATCH: i64 = 5_000;
/// Analogs shown on a product page.
const MAX_ANALOGS: usize = 12;
/// The index is rebuilt from scratch at least this often (in the background).
const REBUILD_EVERY: Duration = Duration::from_secs(600);

/// The index of this app server, shared by every viewer.
#[derive(Default)]
pub struct IndexCell {
    index: RwLock<Option<(Instant, CatalogIndex)>>,
    /// Held by whoever brings the index up to date; the others use the index as it is meanwhile,
    /// or wait when it is behind a version they read.
    refresh: Arc<tokio::sync::Mutex<()>>,
    /// The catalog's version, read once for all the searches waiting for it.
    versions: super::version::VersionReads,
}

#[derive(sqlx::FromRow)]
struct IndexRow {
    #[sqlx(flatten)]
    product: ProductRow,
    search_text: String,
    active: bool,
}

const INDEX_COLUMNS: &str = "p.search_text, p.active";

async fn version(db: &Db) -> StoreResult<Option<DateTime<Utc>>> {
    on_db!(db, pool => sqlx::query_scalar("SELECT MAX(updated_at) FROM products").fetch_one(pool).await.map_err(other))
}

/// Every active product with its attributes, read afresh, and the index built from them.
async fn load(db: &Db) -> StoreResult<CatalogIndex> {
    let version = version(db).await?;
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS}, '' AS description, {INDEX_COLUMNS} FROM products p \
         JOIN categories c ON c.id = p.category_id WHERE p.active"
    );
    let (rows, attributes): (Vec<IndexRow>, Vec<(i64, String, String)>) = on_db!(db, pool => {
        let rows = sqlx::query_as(AssertSqlSafe(sql.as_str())).fetch_all(pool).await.map_err(other)?;
        let attributes = sqlx::query_as(
            "SELECT a.product_id, a.name, a.value FROM product_attributes a JOIN products p ON p.id = a.product_id \
             WHERE p.active")
            .fetch_all(pool).await.map_err(other)?;
        (rows, attributes)
    });
    let built = tokio::task::spawn_blocking(move || {
        let mut by_product: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for (id, name, value) in attributes {
            by_product.entry(id).or_default().push((name, value));
        }
        let loaded = rows
            .into_iter()
            .map(|r| {
                let record = r.product.record();
                let attributes = by_product.remove(&record.id).unwrap_or_default();
                Loaded { record, search_text: r.search_text, attributes }
            })
            .collect();
        CatalogIndex::build(version, loaded)
    })
    .await
    .map_err(|e| app::ports::StoreError::Backend(Box::new(e)))?;
    tracing::debug!(products = built.len(), "catalog index built");
    Ok(built)
}

impl SqlStore {
    /// Rows and facet counts for a query, from the index as of the catalog's current version.
    pub(super) async fn search_index(
        &self,
        q: &CatalogQuery,
        version: Option<DateTime<Utc>>,
    ) -> StoreResult<CatalogResult> {
        self.keep_index(version).await?;
        let guard = self.catalog_index.index.read().unwrap_or_else(|e| e.into_inner());
        Ok(guard.as_ref().map(|(_, index)| index.search(q)).unwrap_or_default())
    }

    /// A product page's product: record, attributes and analogs from the index, the description
    /// and the analogs' ids in one query.
    pub(super) async fn product_from_index(&self, id: i64) -> StoreResult<Option<ProductDetails>> {
        let version = self.current_version().await?;
        self.keep_index(version).await?;
        let rows: Vec<(String, Option<i64>)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT p.description, a.analog_id FROM products p LEFT JOIN product_analogs a ON a.product_id = p.id \
             WHERE p.id = $1")
            .bind(id).fetch_all(pool).await.map_err(other)?);
        let Some((description, _)) = rows.first() else { return Ok(None) };
        let analog_ids: Vec<i64> = rows.iter().filter_map(|(_, a)| *a).collect();
        let guard = self.catalog_index.index.read().unwrap_or_else(|e| e.into_inner());
        let Some((_, index)) = guard.as_ref() else { return Ok(None) };
        Ok(index.product(id).map(|(mut record, attributes)| {
            record.description = description.clone();
            ProductDetails { record, attributes, analogs: index.in_stock_by_name(&analog_ids, MAX_ANALOGS) }
        }))
    }

    /// The catalog's version, read after this call began (shared with concurrent searches).
    pub(super) async fn current_version(&self) -> StoreResult<Option<DateTime<Utc>>> {
        self.catalog_index.versions.read(|| version(self.db())).await
    }

    /// Brings the index up to `version` (the newest change just read).
    async fn keep_index(&self, version: Option<DateTime<Utc>>) -> StoreResult<()> {
        let cell = &self.catalog_index;
        let seen = |cell: &IndexCell| {
            let guard = cell.index.read().unwrap_or_else(|e| e.into_inner());
            guard.as_ref().map(|(built, index)| (built.elapsed(), index.version))
        };
        if let Some((age, seen)) = seen(cell)
            && seen >= version
        {
            if age > REBUILD_EVERY {
                self.rebuild_in_background();
            }
            return Ok(());
        }
        let _refreshing = cell.refresh.lock().await;
        match seen(cell) {
            Some((_, seen)) if seen >= version => Ok(()),
            Some((_, Some(seen))) => self.patch_index(seen, version).await,
            _ => {
                let index = load(self.db()).await?;
                *cell.index.write().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), index));
                Ok(())
            }
        }
    }

    /// Takes the products changed since `seen` (with the overlap) into the index.
    async fn patch_index(&self, seen: DateTime<Utc>, version: Option<DateTime<Utc>>) -> StoreResult<()> {
        let sql = format!(
            "SELECT {PRODUCT_COLUMNS}, '' AS description, {INDEX_COLUMNS} FROM products p \
             JOIN categories c ON c.id = p.category_id WHERE p.updated_at > $1 ORDER BY p.updated_at LIMIT $2"
        );
        let rows: Vec<IndexRow> = on_db!(self.db(), pool => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(seen - OVERLAP).bind(MAX_PATCH + 1).fetch_all(pool).await.map_err(other)?);
        let patched = rows.len() as i64 <= MAX_PATCH && {
            let mut guard = self.catalog_index.index.write().unwrap_or_else(|e| e.into_inner());
            match guard.as_mut() {
                Some((_, index)) => {
                    let all = rows.into_iter().all(|r| {
                        let active = r.active;
                        let changed =
                            Loaded { record: r.product.record(), search_text: r.search_text, attributes: Vec::new() };
                        index.patch(&changed, active)
                    });
                    if all {
                        index.version = index.version.max(version);
                    }
                    all
                }
                None => false,
            }
        };
        if !patched {
            let index = load(self.db()).await?;
            *self.catalog_index.index.write().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), index));
        }
        Ok(())
    }

    /// Builds the index now, in the background (at start: the first search need not wait for it
    /// unless it comes before the index is ready).
    pub fn warm_catalog(&self) {
        self.rebuild_in_background();
    }

    /// Builds the index anew while searches go on with the current one.
    fn rebuild_in_background(&self) {
        let Ok(refreshing) = self.catalog_index.refresh.clone().try_lock_owned() else { return };
        let (db, cell) = (self.db().clone(), self.catalog_index.clone());
        tokio::spawn(async move {
            let _refreshing = refreshing;
            match load(&db).await {
                Ok(index) => *cell.index.write().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), index)),
                Err(e) => tracing::warn!(error = %e, "catalog index: rebuilding failed"),
            }
        });
    }
}

pub type SharedIndex = Arc<IndexCell>;
