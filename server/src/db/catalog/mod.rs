//! Catalog area, the sqlx implementation of `CatalogStore`: search with facets, products, stock by
//! location, the discount policy and buyers' terms. Search, filters and facets are answered from
//! the in-memory index (`index`, kept in step by `search`); the rest is the same SQL on both engines.

use app::model::StockAt;
use app::ports::{
    Actor, BuyerTerms, CatalogQuery, CatalogResult, CatalogStore, Category, ProductDetails, ProductRecord, StoreError,
    StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::OrgKind;
use domain::credit::CreditTerms;
use domain::pricing::{DiscountPolicy, LoyaltyTier, LoyaltyTiers, ProductPrices, Promotion, PromotionCondition};
use sqlx::AssertSqlSafe;

mod index;
mod search;
mod version;

pub(super) use search::SharedIndex;

/// How long this server reuses what changes seldom and every page reads: the categories and the
/// discount policy (loyalty tiers, promotions, the cap). An edit reaches every server within this.
const SETTLED_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// A value read at most once per [`SETTLED_FOR`].
pub struct Settled<T> {
    value: std::sync::Mutex<Option<(std::time::Instant, T)>>,
}

impl<T> Default for Settled<T> {
    fn default() -> Self {
        Self { value: std::sync::Mutex::new(None) }
    }
}

impl<T: Clone> Settled<T> {
    async fn get(&self, read: impl std::future::Future<Output = StoreResult<T>>) -> StoreResult<T> {
        if let Some((at, value)) = self.value.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
            && at.elapsed() < SETTLED_FOR
        {
            return Ok(value.clone());
        }
        let value = read.await?;
        *self.value.lock().unwrap_or_else(|e| e.into_inner()) = Some((std::time::Instant::now(), value.clone()));
        Ok(value)
    }
}

/// What the catalog keeps per server besides the index.
#[derive(Default)]
pub struct Memo {
    policy: Settled<DiscountPolicy>,
    categories: Settled<Vec<Category>>,
}

use super::search_cache::SearchCache;
use super::sql::*;
use super::{SqlStore, audit, on_db};

/// A product whose price or stock changed (for the live pages).
#[derive(Debug, Clone)]
pub struct ProductChange {
    pub id: i64,
    pub prices: ProductPrices,
    pub stock: i64,
    pub updated_at: DateTime<Utc>,
}

impl SqlStore {
    /// Products changed after `since` (by any app server, staff or an import), oldest first.
    pub async fn products_changed_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<ProductChange>> {
        type Row = (i64, i64, i64, i64, i64, i64, DateTime<Utc>);
        let rows: Vec<Row> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT id, price_retail, price_wholesale, price_dealer, price_purchase, stock_total, updated_at \
             FROM products WHERE updated_at > $1 ORDER BY updated_at LIMIT 2000")
            .bind(since).fetch_all(pool).await.map_err(other)?);
        Ok(rows
            .into_iter()
            .map(|(id, retail, wholesale, dealer, purchase, stock, updated_at)| ProductChange {
                id,
                prices: ProductPrices { retail, wholesale, dealer, purchase },
                stock,
                updated_at,
            })
            .collect())
    }
}

// Dynamic SQL below is assembled only from these constants, column names chosen by `match`, and
// numbered placeholders (AssertSqlSafe); every value is bound.
pub(super) const PRODUCT_COLUMNS: &str = "p.id, p.sku, p.name, p.brand, p.category_id, c.name AS category, p.unit, \
     p.price_retail, p.price_wholesale, p.price_dealer, p.price_purchase, p.vat_rate, p.stock_total, \
     p.warranty_months, p.returnable";

#[derive(sqlx::FromRow)]
pub(super) struct ProductRow {
    id: i64,
    sku: String,
    name: String,
    brand: String,
    category_id: i64,
    category: String,
    unit: String,
    price_retail: i64,
    price_wholesale: i64,
    price_dealer: i64,
    price_purchase: i64,
    vat_rate: Option<i32>,
    stock_total: i64,
    warranty_months: i32,
    returnable: bool,
    description: String,
}

impl ProductRow {
    pub(super) fn record(self) -> ProductRecord {
        ProductRecord {
            id: self.id,
            sku: self.sku,
            name: self.name,
            brand: self.brand,
            category_id: self.category_id,
            category: self.category,
            unit: parse_unit(&self.unit),
            prices: ProductPrices {
                retail: self.price_retail,
                wholesale: self.price_wholesale,
                dealer: self.price_dealer,
                purchase: self.price_purchase,
            },
            vat: vat_from(self.vat_rate),
            stock: self.stock_total,
            warranty_months: self.warranty_months,
            returnable: self.returnable,
            description: self.description,
        }
    }
}

#[derive(sqlx::FromRow)]
struct StockRow {
    location_id: i64,
    name: String,
    address: String,
    kind: String,
    quantity: i64,
}

impl StockRow {
    fn view(self) -> StockAt {
        StockAt {
            location_id: self.location_id,
            name: self.name,
            address: self.address,
            pickup: self.kind == "pickup",
            quantity: self.quantity,
        }
    }
}

#[async_trait]
impl CatalogStore for SqlStore {
    async fn discount_policy(&self) -> StoreResult<DiscountPolicy> {
        self.catalog_memo.policy.get(async {
        let (tiers, promos, cap): (Vec<(String, i64, i64)>, Vec<(String, i64, String)>, Option<String>) = on_db!(self.db(), pool => {
            let tiers = sqlx::query_as("SELECT name, threshold, CAST(discount_bp AS BIGINT) FROM loyalty_tiers ORDER BY threshold")
                .fetch_all(pool).await.map_err(other)?;
            let promos = sqlx::query_as("SELECT code, CAST(discount_bp AS BIGINT), condition FROM promotions WHERE active ORDER BY code")
                .fetch_all(pool).await.map_err(other)?;
            let cap = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'discount_cap_bp'")
                .fetch_optional(pool).await.map_err(other)?;
            (tiers, promos, cap)
        });
        Ok(DiscountPolicy {
            loyalty: LoyaltyTiers::new(
                tiers
                    .into_iter()
                    .map(|(name, threshold, d)| LoyaltyTier { name, threshold, discount: bp(d) })
                    .collect(),
            ),
            promotions: promos
                .into_iter()
                .filter_map(|(code, d, condition)| {
                    let condition = match condition.as_str() {
                        "always" => PromotionCondition::Always,
                        "placed_online" => PromotionCondition::PlacedOnline,
                        "paid_online" => PromotionCondition::PaidOnline,
                        _ => return None,
                    };
                    Some(Promotion { code, discount: bp(d), condition })
                })
                .collect(),
            cap: bp(cap.and_then(|c| c.parse().ok()).unwrap_or(2500)),
        })
        }).await
    }

    async fn buyer_terms(&self, organisation_id: i64) -> StoreResult<BuyerTerms> {
        let row: Option<(String, String, i64, i64, i64, i64, i64)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT kind, price_type, CAST(personal_discount_bp AS BIGINT), accumulated, credit_limit, \
             CAST(deferral_days AS BIGINT), CAST(grace_days AS BIGINT) FROM organisations WHERE id = $1")
            .bind(organisation_id).fetch_optional(pool).await.map_err(other)?);
        let (kind, price_type, discount, accumulated, limit, deferral, grace) = row.ok_or(StoreError::NotFound)?;
        Ok(BuyerTerms {
            org_kind: OrgKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("unknown kind {kind}")))?,
            price_type: parse_price_type(&price_type),
            personal_discount_bp: discount,
            accumulated,
            credit: CreditTerms {
                limit,
                deferral_days: u32::try_from(deferral).unwrap_or(0),
                grace_days: u32::try_from(grace).unwrap_or(0),
            },
        })
    }

    async fn categories(&self) -> StoreResult<Vec<Category>> {
        self.catalog_memo
            .categories
            .get(async {
                let rows: Vec<(i64, Option<i64>, String, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT id, parent_id, slug, name FROM categories ORDER BY position, name")
            .fetch_all(pool).await.map_err(other)?);
                Ok(rows.into_iter().map(|(id, parent_id, slug, name)| Category { id, parent_id, slug, name }).collect())
            })
            .await
    }

    async fn search(&self, q: &CatalogQuery) -> StoreResult<CatalogResult> {
        let version = self.current_version().await?;
        let Some(key) = SearchCache::key(q) else { return self.search_index(q, version).await };
        let cache_version = version.map(|v| v.to_rfc3339()).unwrap_or_default();
        if let Some(hit) = self.search_cache.get(&cache_version, &key) {
            return Ok(hit);
        }
        let result = self.search_index(q, version).await?;
        self.search_cache.put(cache_version, key, result.clone());
        Ok(result)
    }

    async fn catalog_version(&self) -> StoreResult<Option<DateTime<Utc>>> {
        self.current_version().await
    }

    async fn product(&self, id: i64) -> StoreResult<Option<ProductRecord>> {
        let sql = format!(
            "SELECT {PRODUCT_COLUMNS}, p.description FROM products p JOIN categories c ON c.id = p.category_id \
             WHERE p.id = $1 AND p.active"
        );
        let row: Option<ProductRow> = on_db!(self.db(), pool => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(id).fetch_optional(pool).await.map_err(other)?);
        Ok(row.map(ProductRow::record))
    }

    async fn product_details(&self, id: i64) -> StoreResult<Option<ProductDetails>> {
        self.product_from_index(id).await
    }

    async fn product_stock(&self, id: i64) -> StoreResult<Vec<StockAt>> {
        let rows: Vec<StockRow> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT l.id AS location_id, l.name, l.address, l.kind, COALESCE(s.quantity, 0) AS quantity \
             FROM stock_locations l LEFT JOIN stock s ON s.location_id = l.id AND s.product_id = $1 \
             ORDER BY l.kind DESC, l.name")
            .bind(id).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(StockRow::view).collect())
    }

    async fn products_by_sku(&self, skus: &[String]) -> StoreResult<Vec<ProductRecord>> {
        let mut out = Vec::new();
        // In chunks: both engines limit the number of bound values.
        for chunk in skus.chunks(200) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT {PRODUCT_COLUMNS}, '' AS description FROM products p JOIN categories c ON c.id = p.category_id \
                 WHERE p.active AND p.sku IN ({})",
                marks.join(", ")
            );
            let vals: Vec<Val> = chunk.iter().map(|s| Val::S(s.clone())).collect();
            let rows: Vec<ProductRow> = on_db!(self.db(), pool =>
                bind_all!(sqlx::query_as(AssertSqlSafe(sql.as_str())), &vals).fetch_all(pool).await.map_err(other)?);
            out.extend(rows.into_iter().map(ProductRow::record));
        }
        Ok(out)
    }

    async fn pickup_points(&self) -> StoreResult<Vec<StockAt>> {
        let rows: Vec<StockRow> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT id AS location_id, name, address, kind, CAST(0 AS BIGINT) AS quantity FROM stock_locations \
             WHERE kind = 'pickup' ORDER BY name")
            .fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(StockRow::view).collect())
    }

    async fn stock_at_pickup_points(&self, product_ids: &[i64]) -> StoreResult<Vec<(i64, i64, i64)>> {
        if product_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for chunk in product_ids.chunks(200) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT s.location_id, s.product_id, s.quantity FROM stock s JOIN stock_locations l ON l.id = s.location_id \
                 WHERE l.kind = 'pickup' AND s.product_id IN ({})",
                marks.join(", ")
            );
            let vals: Vec<Val> = chunk.iter().map(|i| Val::I(*i)).collect();
            let rows: Vec<(i64, i64, i64)> = on_db!(self.db(), pool =>
                bind_all!(sqlx::query_as(AssertSqlSafe(sql.as_str())), &vals).fetch_all(pool).await.map_err(other)?);
            out.extend(rows);
        }
        Ok(out)
    }

    async fn set_price_and_stock(
        &self,
        product_id: i64,
        prices: ProductPrices,
        location_id: i64,
        quantity: i64,
        actor: &Actor,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let begin = self.begin_write();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let before: Option<(i64, i64, i64, i64)> = sqlx::query_as(
                "SELECT price_retail, price_wholesale, price_dealer, price_purchase FROM products WHERE id = $1")
                .bind(product_id).fetch_optional(&mut *tx).await.map_err(other)?;
            let before = before.ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE products SET price_retail = $1, price_wholesale = $2, price_dealer = $3, price_purchase = $4, \
                 updated_at = $5 WHERE id = $6")
                .bind(prices.retail).bind(prices.wholesale).bind(prices.dealer).bind(prices.purchase).bind(now).bind(product_id)
                .execute(&mut *tx).await.map_err(other)?;
            sqlx::query("INSERT INTO stock (product_id, location_id, quantity) VALUES ($1, $2, $3) \
                 ON CONFLICT (product_id, location_id) DO UPDATE SET quantity = excluded.quantity")
                .bind(product_id).bind(location_id).bind(quantity).execute(&mut *tx).await.map_err(other)?;
            sqlx::query("UPDATE products SET stock_total = (SELECT COALESCE(SUM(quantity), 0) FROM stock WHERE product_id = $1) \
                 WHERE id = $1")
                .bind(product_id).execute(&mut *tx).await.map_err(other)?;
            audit!(tx, actor, now, "product.price_stock", "product", Some(product_id),
                serde_json::to_string(&before).ok(), serde_json::to_string(&(prices, location_id, quantity)).ok());
            tx.commit().await.map_err(other)
        })?;
        self.search_cache.clear();
        Ok(())
    }
}
