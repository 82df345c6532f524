//! The sqlx implementation of `app::ports::CommerceStore`: catalog search with facets, carts,
//! order placement with stock reservation, payments. Full-text search is the one place the two
//! engines differ (FTS5 vs `tsvector`); everything else is the same SQL.

use std::collections::{BTreeMap, HashMap};

use app::model::shop::{
    Fulfilment, InvoiceView, OrderDetail, OrderEvent, OrderLineView, OrderSummary, PaymentMethod, PaymentStatus,
    PaymentView, Sort, StockAt,
};
use app::ports::{
    Actor, BuyerTerms, CartOwner, CatalogQuery, CatalogResult, Category, CommerceStore, NewOrder, PaymentOutcome,
    PaymentRecord, PlaceError, ProductRecord, Requisites, StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::credit::{CreditCheck, CreditTerms, OpenInvoice};
use domain::pricing::{
    DiscountPolicy, LoyaltyTier, LoyaltyTiers, PriceType, ProductPrices, Promotion, PromotionCondition,
};
use domain::{OrgKind, Percent, Unit, VatRate};
use sqlx::AssertSqlSafe;

use super::search_cache::SearchCache;
use super::store::{audit, other};
use super::{Db, SqlStore, on_db};

/// A bound value of a query built at run time (the SQL text itself only ever holds constants and
/// placeholders).
#[derive(Debug, Clone)]
enum Val {
    I(i64),
    S(String),
    T(DateTime<Utc>),
    Rate(Option<i32>),
}

macro_rules! bind_all {
    ($query:expr, $vals:expr) => {{
        let mut q = $query;
        for v in $vals {
            q = match v {
                Val::I(i) => q.bind(*i),
                Val::S(s) => q.bind(s.clone()),
                Val::T(t) => q.bind(*t),
                Val::Rate(r) => q.bind(*r),
            };
        }
        q
    }};
}

pub(super) fn price_column(t: PriceType) -> &'static str {
    match t {
        PriceType::Retail => "p.price_retail",
        PriceType::Wholesale => "p.price_wholesale",
        PriceType::Dealer => "p.price_dealer",
        PriceType::Purchase => "p.price_purchase",
    }
}

pub(super) fn price_type_code(t: PriceType) -> &'static str {
    match t {
        PriceType::Retail => "retail",
        PriceType::Wholesale => "wholesale",
        PriceType::Dealer => "dealer",
        PriceType::Purchase => "purchase",
    }
}

fn parse_price_type(code: &str) -> PriceType {
    match code {
        "wholesale" => PriceType::Wholesale,
        "dealer" => PriceType::Dealer,
        _ => PriceType::Retail,
    }
}

fn parse_unit(code: &str) -> Unit {
    match code {
        "m" => Unit::M,
        "kg" => Unit::Kg,
        "set" => Unit::Set,
        _ => Unit::Pcs,
    }
}

pub(super) fn unit_code(unit: Unit) -> &'static str {
    unit.code()
}

pub(super) fn vat_from(rate: Option<i32>) -> VatRate {
    match rate {
        Some(r) => VatRate::Percent(u8::try_from(r).unwrap_or(0)),
        None => VatRate::Exempt,
    }
}

pub(super) fn vat_to(rate: VatRate) -> Option<i32> {
    match rate {
        VatRate::Percent(r) => Some(i32::from(r)),
        VatRate::Exempt => None,
    }
}

fn bp(basis_points: i64) -> Percent {
    Percent::from_basis_points(basis_points).unwrap_or(Percent::ZERO)
}

/// Which filter a facet query leaves out (a facet counts what choosing one of its values would give).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    Nothing,
    Category,
    Brand,
    Attributes,
    Price,
    Stock,
}

struct Built {
    from: String,
    filter: String,
    vals: Vec<Val>,
}

impl Built {
    fn push(&mut self, v: Val) -> String {
        self.vals.push(v);
        format!("${}", self.vals.len())
    }
}

fn build(db: &Db, q: &CatalogQuery, skip: Skip) -> Built {
    let mut b = Built { from: "products p".into(), filter: "p.active".into(), vals: Vec::new() };
    if !q.terms.is_empty() {
        match db {
            Db::Sqlite(_) => {
                let ph = b.push(Val::S(domain::search::fts5_query(&q.terms)));
                b.from = format!(
                    "products p JOIN (SELECT rowid AS fid, rank FROM products_fts WHERE products_fts MATCH {ph}) f ON f.fid = p.id"
                );
            }
            Db::Postgres(_) => {
                let ph = b.push(Val::S(domain::search::tsquery(&q.terms)));
                b.filter.push_str(&format!(" AND to_tsvector('simple', p.search_text) @@ to_tsquery('simple', {ph})"));
            }
        }
    }
    if skip != Skip::Category && !q.category_ids.is_empty() {
        let list: Vec<String> = q.category_ids.iter().map(|id| b.push(Val::I(*id))).collect();
        b.filter.push_str(&format!(" AND p.category_id IN ({})", list.join(", ")));
    }
    if skip != Skip::Brand && !q.brands.is_empty() {
        let list: Vec<String> = q.brands.iter().map(|x| b.push(Val::S(x.clone()))).collect();
        b.filter.push_str(&format!(" AND p.brand IN ({})", list.join(", ")));
    }
    let price = price_column(q.price_type);
    if skip != Skip::Price {
        if let Some(min) = q.price_min {
            let ph = b.push(Val::I(min));
            b.filter.push_str(&format!(" AND {price} >= {ph}"));
        }
        if let Some(max) = q.price_max {
            let ph = b.push(Val::I(max));
            b.filter.push_str(&format!(" AND {price} <= {ph}"));
        }
    }
    if skip != Skip::Stock && q.in_stock {
        b.filter.push_str(" AND p.stock_total > 0");
    }
    if skip != Skip::Attributes {
        let mut names: Vec<&str> = q.attributes.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let name_ph = b.push(Val::S(name.to_string()));
            let values: Vec<String> = q
                .attributes
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
                .into_iter()
                .map(|v| b.push(Val::S(v)))
                .collect();
            b.filter.push_str(&format!(
                " AND p.id IN (SELECT product_id FROM product_attributes WHERE name = {name_ph} AND value IN ({}))",
                values.join(", ")
            ));
        }
    }
    b
}

// Dynamic SQL below is assembled only from these constants, column names chosen by `match`, and
// numbered placeholders (AssertSqlSafe); every value is bound.
const PRODUCT_COLUMNS: &str = "p.id, p.sku, p.name, p.brand, p.category_id, c.name AS category, p.unit, \
     p.price_retail, p.price_wholesale, p.price_dealer, p.price_purchase, p.vat_rate, p.stock_total, \
     p.warranty_months, p.returnable";

#[derive(sqlx::FromRow)]
struct ProductRow {
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
    fn record(self) -> ProductRecord {
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

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    created_at: DateTime<Utc>,
    status: String,
    fulfilment: String,
    pickup_point: Option<String>,
    delivery_address: Option<String>,
    payment_method: String,
    payment_status: String,
    gross: i64,
    discount: i64,
    total: i64,
    vat: i64,
    comment: String,
    credit_check: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    product_id: i64,
    sku: String,
    name: String,
    unit: String,
    quantity: i64,
    shipped: i64,
    unit_price: i64,
    discount: i64,
    total: i64,
    vat: i64,
}

#[derive(sqlx::FromRow)]
struct PartyRow {
    name: String,
    inn: Option<String>,
    kpp: Option<String>,
    legal_address: Option<String>,
    bank_name: Option<String>,
    bik: Option<String>,
    settlement_account: Option<String>,
    correspondent_account: Option<String>,
}

impl PartyRow {
    fn requisites(self) -> Requisites {
        Requisites {
            name: self.name,
            inn: self.inn,
            kpp: self.kpp,
            address: self.legal_address,
            bank_name: self.bank_name,
            bik: self.bik,
            settlement_account: self.settlement_account,
            correspondent_account: self.correspondent_account,
        }
    }
}

const PARTY_COLUMNS: &str = "SELECT name, inn, kpp, legal_address, bank_name, bik, settlement_account, correspondent_account \
     FROM organisations";

fn place_err(e: sqlx::Error) -> PlaceError {
    PlaceError::Store(e.to_string())
}

/// `rows` groups of `cols` placeholders, numbered from `first`: `($1, $2), ($3, $4)`.
fn marks(cols: usize, rows: usize, first: usize) -> String {
    (0..rows)
        .map(|r| {
            let group: Vec<String> = (0..cols).map(|c| format!("${}", first + r * cols + c)).collect();
            if cols == 1 { group.concat() } else { format!("({})", group.join(", ")) }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where each unit of an order comes from.
#[derive(Debug, PartialEq, Eq)]
struct Allocation {
    /// (product, location) → quantity taken there.
    takes: BTreeMap<(i64, i64), i64>,
    /// product → quantity taken in all.
    per_product: BTreeMap<i64, i64>,
}

/// Plans where the order's units are taken from, given the stock rows `(product, location,
/// quantity, location kind)` that have any: warehouses first, then pickup points, lowest location
/// first. Lines that cannot be filled are returned (product ids, in line order).
fn allocate(lines: &[app::ports::NewOrderLine], stock: Vec<(i64, i64, i64, String)>) -> Result<Allocation, Vec<i64>> {
    let mut left: BTreeMap<i64, Vec<(String, i64, i64)>> = BTreeMap::new();
    for (product, location, quantity, kind) in stock {
        left.entry(product).or_default().push((kind, location, quantity));
    }
    for rows in left.values_mut() {
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    let mut plan = Allocation { takes: BTreeMap::new(), per_product: BTreeMap::new() };
    let mut short = Vec::new();
    for line in lines {
        let mut want = line.quantity;
        for (_, location, available) in left.get_mut(&line.product_id).into_iter().flatten() {
            let take = want.min(*available);
            if take > 0 {
                *available -= take;
                want -= take;
                *plan.takes.entry((line.product_id, *location)).or_default() += take;
            }
        }
        if want > 0 {
            short.push(line.product_id);
        } else {
            *plan.per_product.entry(line.product_id).or_default() += line.quantity;
        }
    }
    if short.is_empty() { Ok(plan) } else { Err(short) }
}

impl SqlStore {
    /// Rows and facet counts straight from the database.
    async fn search_uncached(&self, q: &CatalogQuery) -> StoreResult<CatalogResult> {
        let db = self.db();
        let main = build(db, q, Skip::Nothing);
        let price = price_column(q.price_type);
        let order = match (q.sort, q.terms.is_empty(), db) {
            (Sort::Relevance, false, Db::Sqlite(_)) => "f.rank, p.id".to_string(),
            (Sort::Relevance, false, Db::Postgres(_)) => {
                "ts_rank(to_tsvector('simple', p.search_text), to_tsquery('simple', $1)) DESC, p.id".to_string()
            }
            (Sort::Relevance, true, _) => "(p.stock_total > 0) DESC, p.name, p.id".to_string(),
            (Sort::PriceAsc, ..) => format!("{price}, p.id"),
            (Sort::PriceDesc, ..) => format!("{price} DESC, p.id"),
            (Sort::Name, ..) => "p.name, p.id".to_string(),
        };
        let n = main.vals.len();
        let rows_sql = format!(
            "SELECT {PRODUCT_COLUMNS}, '' AS description FROM {} JOIN categories c ON c.id = p.category_id \
             WHERE {} ORDER BY {order} LIMIT ${} OFFSET ${}",
            main.from,
            main.filter,
            n + 1,
            n + 2
        );
        let mut row_vals = main.vals.clone();
        row_vals.push(Val::I(q.limit));
        row_vals.push(Val::I(q.offset));
        let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {}", main.from, main.filter);

        let cat = build(db, q, Skip::Category);
        let cat_sql =
            format!("SELECT p.category_id, COUNT(*) FROM {} WHERE {} GROUP BY p.category_id", cat.from, cat.filter);
        let brand = build(db, q, Skip::Brand);
        let brand_sql = format!(
            "SELECT p.brand, COUNT(*) FROM {} WHERE {} GROUP BY p.brand ORDER BY COUNT(*) DESC, p.brand LIMIT 60",
            brand.from, brand.filter
        );
        let stock = build(db, q, Skip::Stock);
        let stock_sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN p.stock_total > 0 THEN 1 ELSE 0 END), 0) FROM {} WHERE {}",
            stock.from, stock.filter
        );
        let range = build(db, q, Skip::Price);
        let range_sql = format!("SELECT MIN({price}), MAX({price}) FROM {} WHERE {}", range.from, range.filter);
        let attrs = build(db, q, Skip::Attributes);
        let attrs_sql = format!(
            "SELECT a.name, a.value, COUNT(*) FROM product_attributes a JOIN {} ON p.id = a.product_id WHERE {} \
             GROUP BY a.name, a.value ORDER BY a.name, a.value LIMIT 300",
            attrs.from, attrs.filter
        );

        on_db!(db, pool => {
            let rows = async {
                bind_all!(sqlx::query_as::<_, ProductRow>(AssertSqlSafe(rows_sql.as_str())), &row_vals).fetch_all(pool).await
            };
            let total = async {
                bind_all!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql.as_str())), &main.vals).fetch_one(pool).await
            };
            let categories = async {
                bind_all!(sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(cat_sql.as_str())), &cat.vals).fetch_all(pool).await
            };
            let brands = async {
                bind_all!(sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(brand_sql.as_str())), &brand.vals).fetch_all(pool).await
            };
            let in_stock = async {
                bind_all!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(stock_sql.as_str())), &stock.vals).fetch_one(pool).await
            };
            let price_range = async {
                bind_all!(sqlx::query_as::<_, (Option<i64>, Option<i64>)>(AssertSqlSafe(range_sql.as_str())), &range.vals)
                    .fetch_one(pool).await
            };
            let attributes = async {
                if q.attribute_facets {
                    bind_all!(sqlx::query_as::<_, (String, String, i64)>(AssertSqlSafe(attrs_sql.as_str())), &attrs.vals)
                        .fetch_all(pool).await
                } else {
                    Ok(Vec::new())
                }
            };
            let (rows, total, categories, brands, in_stock, price_range, attributes) =
                tokio::try_join!(rows, total, categories, brands, in_stock, price_range, attributes).map_err(other)?;
            Ok(CatalogResult {
                rows: rows.into_iter().map(ProductRow::record).collect(),
                total,
                categories,
                brands,
                attributes,
                in_stock,
                price_range: match price_range {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                },
            })
        })
    }

    fn begin_write(&self) -> &'static str {
        // SQLite: take the write lock up front, so a transaction that reads before it writes never
        // fails to upgrade under concurrent writers.
        match self.db() {
            Db::Sqlite(_) => "BEGIN IMMEDIATE",
            Db::Postgres(_) => "BEGIN",
        }
    }

    async fn cart_id(&self, owner: &CartOwner) -> StoreResult<Option<i64>> {
        let (sql, key) = cart_lookup(owner);
        on_db!(self.db(), pool => bind_all!(sqlx::query_scalar(sql), [&key]).fetch_optional(pool).await.map_err(other))
    }
}

fn cart_lookup(owner: &CartOwner) -> (&'static str, Val) {
    match owner {
        CartOwner::User(id) => ("SELECT id FROM carts WHERE user_id = $1", Val::I(*id)),
        CartOwner::Guest(hash) => ("SELECT id FROM carts WHERE guest_token_hash = $1", Val::S(hash.clone())),
    }
}

fn cart_upsert(owner: &CartOwner) -> (&'static str, Val) {
    match owner {
        CartOwner::User(id) => (
            "INSERT INTO carts (user_id, updated_at) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            Val::I(*id),
        ),
        CartOwner::Guest(hash) => (
            "INSERT INTO carts (guest_token_hash, updated_at) VALUES ($1, $2) \
             ON CONFLICT (guest_token_hash) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            Val::S(hash.clone()),
        ),
    }
}

#[async_trait]
impl CommerceStore for SqlStore {
    async fn discount_policy(&self) -> StoreResult<DiscountPolicy> {
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
    }

    async fn buyer_terms(&self, organisation_id: i64) -> StoreResult<BuyerTerms> {
        let row: Option<(String, String, i64, i64, i64, i64, i64)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT kind, price_type, CAST(personal_discount_bp AS BIGINT), accumulated, credit_limit, \
             CAST(deferral_days AS BIGINT), CAST(grace_days AS BIGINT) FROM organisations WHERE id = $1")
            .bind(organisation_id).fetch_optional(pool).await.map_err(other)?);
        let (kind, price_type, discount, accumulated, limit, deferral, grace) = row.ok_or(StoreError::NotFound)?;
        Ok(BuyerTerms {
            org_kind: OrgKind::parse(&kind).ok_or_else(|| StoreError::Other(format!("unknown kind {kind}")))?,
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

    async fn open_invoices(&self, organisation_id: i64) -> StoreResult<Vec<OpenInvoice>> {
        let rows: Vec<(NaiveDate, i64)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT issued_on, amount - paid FROM invoices WHERE organisation_id = $1 AND paid < amount ORDER BY issued_on")
            .bind(organisation_id).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(|(issued, outstanding)| OpenInvoice { issued, outstanding }).collect())
    }

    async fn categories(&self) -> StoreResult<Vec<Category>> {
        let rows: Vec<(i64, Option<i64>, String, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT id, parent_id, slug, name FROM categories ORDER BY position, name")
            .fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(|(id, parent_id, slug, name)| Category { id, parent_id, slug, name }).collect())
    }

    async fn search(&self, q: &CatalogQuery) -> StoreResult<CatalogResult> {
        let Some(key) = SearchCache::key(q) else { return self.search_uncached(q).await };
        let version: Option<DateTime<Utc>> = on_db!(self.db(), pool =>
            sqlx::query_scalar("SELECT MAX(updated_at) FROM products").fetch_one(pool).await.map_err(other)?);
        let version = version.map(|v| v.to_rfc3339()).unwrap_or_default();
        if let Some(hit) = self.search_cache.get(&version, &key) {
            return Ok(hit);
        }
        let _flight = self.search_cache.computing(&key).await;
        if let Some(hit) = self.search_cache.get(&version, &key) {
            return Ok(hit);
        }
        let result = self.search_uncached(q).await?;
        self.search_cache.put(version, key, result.clone());
        Ok(result)
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

    async fn product_attributes(&self, id: i64) -> StoreResult<Vec<(String, String)>> {
        on_db!(self.db(), pool => sqlx::query_as("SELECT name, value FROM product_attributes WHERE product_id = $1 ORDER BY name")
            .bind(id).fetch_all(pool).await.map_err(other))
    }

    async fn product_stock(&self, id: i64) -> StoreResult<Vec<StockAt>> {
        let rows: Vec<StockRow> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT l.id AS location_id, l.name, l.address, l.kind, COALESCE(s.quantity, 0) AS quantity \
             FROM stock_locations l LEFT JOIN stock s ON s.location_id = l.id AND s.product_id = $1 \
             ORDER BY l.kind DESC, l.name")
            .bind(id).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(StockRow::view).collect())
    }

    async fn analogs(&self, id: i64) -> StoreResult<Vec<ProductRecord>> {
        let sql = format!(
            "SELECT {PRODUCT_COLUMNS}, '' AS description FROM product_analogs a JOIN products p ON p.id = a.analog_id \
             JOIN categories c ON c.id = p.category_id WHERE a.product_id = $1 AND p.active AND p.stock_total > 0 \
             ORDER BY p.name LIMIT 12"
        );
        let rows: Vec<ProductRow> = on_db!(self.db(), pool => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(id).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(ProductRow::record).collect())
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

    async fn cart_items(&self, owner: &CartOwner) -> StoreResult<Vec<(ProductRecord, i64)>> {
        let Some(cart) = self.cart_id(owner).await? else { return Ok(Vec::new()) };
        let sql = format!(
            "SELECT {PRODUCT_COLUMNS}, '' AS description, i.quantity AS cart_quantity FROM cart_items i \
             JOIN products p ON p.id = i.product_id JOIN categories c ON c.id = p.category_id \
             WHERE i.cart_id = $1 ORDER BY i.added_at, p.id"
        );
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            product: ProductRow,
            cart_quantity: i64,
        }
        let rows: Vec<Row> = on_db!(self.db(), pool => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(cart).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(|r| (r.product.record(), r.cart_quantity)).collect())
    }

    async fn cart_put(
        &self,
        owner: &CartOwner,
        product_id: i64,
        quantity: i64,
        replace: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (upsert, key) = cart_upsert(owner);
        let item = if replace {
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity"
        } else {
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = MIN(cart_items.quantity + excluded.quantity, 1000000000000)"
        };
        let item = match (self.db(), replace) {
            (Db::Postgres(_), false) => item.replace("MIN(", "LEAST("),
            _ => item.to_string(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let cart: i64 = bind_all!(sqlx::query_scalar(upsert), [&key]).bind(now).fetch_one(&mut *tx).await.map_err(other)?;
            if quantity <= 0 {
                sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2")
                    .bind(cart).bind(product_id).execute(&mut *tx).await.map_err(other)?;
            } else {
                sqlx::query(AssertSqlSafe(item.as_str())).bind(cart).bind(product_id).bind(quantity).bind(now)
                    .execute(&mut *tx).await.map_err(|e| match &e {
                        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound,
                        _ => other(e),
                    })?;
            }
            tx.commit().await.map_err(other)
        })
    }

    async fn cart_merge(&self, guest_hash: &str, user_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let Some(guest) = self.cart_id(&CartOwner::Guest(guest_hash.to_string())).await? else { return Ok(()) };
        let (upsert, _) = cart_upsert(&CartOwner::User(user_id));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let cart: i64 = sqlx::query_scalar(upsert).bind(user_id).bind(now).fetch_one(&mut *tx).await.map_err(other)?;
            sqlx::query("INSERT INTO cart_items (cart_id, product_id, quantity, added_at) \
                 SELECT $1, product_id, quantity, added_at FROM cart_items WHERE cart_id = $2 \
                 ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity")
                .bind(cart).bind(guest).execute(&mut *tx).await.map_err(other)?;
            sqlx::query("DELETE FROM cart_items WHERE cart_id = $1").bind(guest).execute(&mut *tx).await.map_err(other)?;
            sqlx::query("DELETE FROM carts WHERE id = $1").bind(guest).execute(&mut *tx).await.map_err(other)?;
            tx.commit().await.map_err(other)
        })
    }

    async fn place_order(&self, o: &NewOrder, actor: &Actor) -> Result<i64, PlaceError> {
        // A handful of statements whatever the number of lines (each line's reads and writes are
        // batched): on PostgreSQL the round trips, not the work, bound the order rate.
        let begin = self.begin_write();
        let postgres = matches!(self.db(), Db::Postgres(_));
        let today = o.now.with_timezone(&domain::locale::moscow()).date_naive();
        let mut ids: Vec<i64> = o.lines.iter().map(|l| l.product_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let id_vals: Vec<Val> = ids.iter().map(|id| Val::I(*id)).collect();
        let price_sql = format!(
            "SELECT p.id, {} FROM products p WHERE p.active AND p.id IN ({})",
            price_column(o.price_type),
            marks(1, ids.len(), 1)
        );
        let pickup = match (o.fulfilment, o.pickup_location_id) {
            (Fulfilment::Pickup, Some(location)) => Some(location),
            _ => None,
        };
        // Locked in one order (product, location) by every transaction, so concurrent orders cannot
        // deadlock on PostgreSQL; SQLite's write transaction already excludes the others.
        let stock_sql = format!(
            "SELECT s.product_id, s.location_id, s.quantity, l.kind FROM stock s JOIN stock_locations l ON l.id = s.location_id \
             WHERE s.quantity > 0 AND s.product_id IN ({}){} ORDER BY s.product_id, s.location_id{}",
            marks(1, ids.len(), 1),
            if pickup.is_some() { format!(" AND s.location_id = ${}", ids.len() + 1) } else { String::new() },
            if postgres { " FOR UPDATE OF s" } else { "" },
        );
        let mut stock_vals = id_vals.clone();
        stock_vals.extend(pickup.map(Val::I));
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(place_err)?;
            // Serialises orders of one client, so two orders cannot both pass the same credit check.
            sqlx::query("UPDATE organisations SET accumulated = accumulated WHERE id = $1")
                .bind(o.organisation_id).execute(&mut *tx).await.map_err(place_err)?;
            if let Some(seen) = o.credit_guard {
                let now_outstanding: i64 = sqlx::query_scalar(
                    "SELECT CAST(COALESCE(SUM(amount - paid), 0) AS BIGINT) FROM invoices WHERE organisation_id = $1 AND paid < amount")
                    .bind(o.organisation_id).fetch_one(&mut *tx).await.map_err(place_err)?;
                if now_outstanding != seen {
                    return Err(PlaceError::Changed);
                }
            }
            let prices: Vec<(i64, i64)> = bind_all!(sqlx::query_as(AssertSqlSafe(price_sql.as_str())), &id_vals)
                .fetch_all(&mut *tx).await.map_err(place_err)?;
            let prices: HashMap<i64, i64> = prices.into_iter().collect();
            if o.lines.iter().any(|l| prices.get(&l.product_id) != Some(&l.unit_price)) {
                return Err(PlaceError::Changed);
            }
            let stock: Vec<(i64, i64, i64, String)> = bind_all!(sqlx::query_as(AssertSqlSafe(stock_sql.as_str())), &stock_vals)
                .fetch_all(&mut *tx).await.map_err(place_err)?;
            let plan = match allocate(&o.lines, stock) {
                Ok(plan) => plan,
                Err(short) => return Err(PlaceError::OutOfStock(short)),
            };
            let order_id: i64 = sqlx::query_scalar(
                "INSERT INTO orders (organisation_id, buyer_user_id, status, price_type, fulfilment, pickup_location_id, \
                 delivery_address, payment_method, payment_status, gross, discount, total, vat, discount_sources, credit_check, \
                 comment, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id")
                .bind(o.organisation_id).bind(o.buyer_user_id).bind(&o.status).bind(price_type_code(o.price_type))
                .bind(match o.fulfilment { Fulfilment::Pickup => "pickup", Fulfilment::Delivery => "delivery" })
                .bind(o.pickup_location_id).bind(&o.delivery_address).bind(o.payment_method.code())
                .bind(o.payment_status.code()).bind(o.gross).bind(o.discount).bind(o.total).bind(o.vat)
                .bind(&o.discount_sources).bind(&o.credit_check).bind(&o.comment).bind(o.now)
                .fetch_one(&mut *tx).await.map_err(place_err)?;
            // The guard that makes overselling impossible even if the plan were stale: a row is only
            // taken from while enough is left, and every row of the plan must be taken from.
            let takes: Vec<Val> = plan.takes.iter().flat_map(|((p, l), q)| [Val::I(*p), Val::I(*l), Val::I(*q)]).collect();
            let taken = bind_all!(sqlx::query(AssertSqlSafe(format!(
                "UPDATE stock SET quantity = quantity - v.column3 FROM (VALUES {}) AS v \
                 WHERE stock.product_id = v.column1 AND stock.location_id = v.column2 AND stock.quantity >= v.column3",
                marks(3, plan.takes.len(), 1)))), &takes)
                .execute(&mut *tx).await.map_err(place_err)?;
            if taken.rows_affected() != plan.takes.len() as u64 {
                return Err(PlaceError::Changed);
            }
            let mut reserved = vec![Val::I(order_id)];
            reserved.extend(takes);
            bind_all!(sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO stock_reservations (order_id, product_id, location_id, quantity) VALUES {}",
                (0..plan.takes.len()).map(|i| format!("($1, ${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4)).collect::<Vec<_>>().join(", ")))), &reserved)
                .execute(&mut *tx).await.map_err(place_err)?;
            let mut totals = vec![Val::T(o.now)];
            totals.extend(plan.per_product.iter().flat_map(|(p, q)| [Val::I(*p), Val::I(*q)]));
            bind_all!(sqlx::query(AssertSqlSafe(format!(
                "UPDATE products SET stock_total = stock_total - v.column2, updated_at = $1 FROM (VALUES {}) AS v \
                 WHERE products.id = v.column1",
                marks(2, plan.per_product.len(), 2)))), &totals)
                .execute(&mut *tx).await.map_err(place_err)?;
            let mut line_vals = vec![Val::I(order_id)];
            for (i, line) in o.lines.iter().enumerate() {
                line_vals.extend([
                    Val::I(i as i64 + 1), Val::I(line.product_id), Val::S(line.sku.clone()), Val::S(line.name.clone()),
                    Val::S(unit_code(line.unit).to_string()), Val::I(line.quantity), Val::I(line.unit_price), Val::I(line.gross),
                    Val::I(line.discount), Val::I(line.total), Val::I(line.vat), Val::Rate(vat_to(line.vat_rate)),
                ]);
            }
            bind_all!(sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit, quantity, unit_price, gross, discount, \
                 total, vat, vat_rate) VALUES {}",
                (0..o.lines.len())
                    .map(|i| format!("($1, {})", (0..12).map(|k| format!("${}", 12 * i + k + 2)).collect::<Vec<_>>().join(", ")))
                    .collect::<Vec<_>>()
                    .join(", ")))), &line_vals)
                .execute(&mut *tx).await.map_err(place_err)?;
            sqlx::query("INSERT INTO order_events (order_id, at, status, note, actor_user_id) VALUES ($1, $2, $3, '', $4)")
                .bind(order_id).bind(o.now).bind(&o.status).bind(actor.user_id).execute(&mut *tx).await.map_err(place_err)?;
            if o.invoice {
                sqlx::query("INSERT INTO invoices (organisation_id, order_id, number, issued_on, amount) VALUES ($1, $2, $3, $4, $5)")
                    .bind(o.organisation_id).bind(order_id).bind(format!("{}-{order_id:06}", today.format("%Y")))
                    .bind(today).bind(o.total).execute(&mut *tx).await.map_err(place_err)?;
            }
            let (cart_sql, key) = cart_lookup(&o.cart);
            bind_all!(sqlx::query(AssertSqlSafe(format!("DELETE FROM cart_items WHERE cart_id IN ({cart_sql})"))), [&key])
                .execute(&mut *tx).await.map_err(place_err)?;
            let after = serde_json::json!({ "total": o.total, "status": o.status, "lines": o.lines.len() }).to_string();
            audit!(tx, actor, o.now, "order.place", "order", Some(order_id), None::<String>, Some(after));
            tx.commit().await.map_err(place_err)?;
            // Stock totals moved: this server's cached search answers are stale.
            self.search_cache.clear();
            Ok(order_id)
        })
    }

    async fn orders(&self, organisation_id: i64) -> StoreResult<Vec<OrderSummary>> {
        let rows: Vec<(i64, DateTime<Utc>, String, String, i64, i64)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT o.id, o.created_at, o.status, o.payment_status, o.total, \
             (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) FROM orders o \
             WHERE o.organisation_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT 500")
            .bind(organisation_id).fetch_all(pool).await.map_err(other)?);
        Ok(rows
            .into_iter()
            .map(|(id, created_at, status, payment, total, lines)| OrderSummary {
                id,
                created_at,
                status,
                payment_status: PaymentStatus::parse(&payment).unwrap_or(PaymentStatus::Unpaid),
                total,
                lines,
            })
            .collect())
    }

    async fn order(&self, id: i64, organisation_id: i64) -> StoreResult<Option<OrderDetail>> {
        on_db!(self.db(), pool => {
            let row: Option<OrderRow> = sqlx::query_as(
                "SELECT o.id, o.created_at, o.status, o.fulfilment, l.name AS pickup_point, o.delivery_address, o.payment_method, \
                 o.payment_status, o.gross, o.discount, o.total, o.vat, o.comment, o.credit_check \
                 FROM orders o LEFT JOIN stock_locations l ON l.id = o.pickup_location_id \
                 WHERE o.id = $1 AND o.organisation_id = $2")
                .bind(id).bind(organisation_id).fetch_optional(pool).await.map_err(other)?;
            let Some(o) = row else { return Ok(None) };
            let lines: Vec<LineRow> = sqlx::query_as(
                "SELECT product_id, sku, name, unit, quantity, shipped, unit_price, discount, total, vat FROM order_lines \
                 WHERE order_id = $1 ORDER BY line_no")
                .bind(id).fetch_all(pool).await.map_err(other)?;
            let events: Vec<(DateTime<Utc>, String, String)> = sqlx::query_as(
                "SELECT at, status, note FROM order_events WHERE order_id = $1 ORDER BY at, id")
                .bind(id).fetch_all(pool).await.map_err(other)?;
            let payments: Vec<(i64, String, i64, String, DateTime<Utc>)> = sqlx::query_as(
                "SELECT id, provider, amount, status, created_at FROM payments WHERE order_id = $1 ORDER BY id")
                .bind(id).fetch_all(pool).await.map_err(other)?;
            let invoice: Option<(String, NaiveDate, i64, i64)> = sqlx::query_as(
                "SELECT number, issued_on, amount, paid FROM invoices WHERE order_id = $1")
                .bind(id).fetch_optional(pool).await.map_err(other)?;
            Ok(Some(OrderDetail {
                id: o.id,
                created_at: o.created_at,
                status: o.status,
                fulfilment: if o.fulfilment == "pickup" { Fulfilment::Pickup } else { Fulfilment::Delivery },
                pickup_point: o.pickup_point,
                delivery_address: o.delivery_address,
                payment_method: PaymentMethod::parse(&o.payment_method).unwrap_or(PaymentMethod::OnPickup),
                payment_status: PaymentStatus::parse(&o.payment_status).unwrap_or(PaymentStatus::Unpaid),
                gross: o.gross,
                discount: o.discount,
                total: o.total,
                vat: o.vat,
                comment: o.comment,
                credit_check: o.credit_check.as_deref().and_then(|c| serde_json::from_str::<CreditCheck>(c).ok()),
                lines: lines
                    .into_iter()
                    .map(|l| OrderLineView {
                        product_id: l.product_id,
                        sku: l.sku,
                        name: l.name,
                        unit: parse_unit(&l.unit),
                        quantity: l.quantity,
                        shipped: l.shipped,
                        unit_price: l.unit_price,
                        discount: l.discount,
                        total: l.total,
                        vat: l.vat,
                    })
                    .collect(),
                events: events.into_iter().map(|(at, status, note)| OrderEvent { at, status, note }).collect(),
                payments: payments
                    .into_iter()
                    .map(|(id, provider, amount, status, created_at)| PaymentView { id, provider, amount, status, created_at })
                    .collect(),
                invoice: invoice.map(|(number, issued_on, amount, paid)| InvoiceView { number, issued_on, amount, paid }),
            }))
        })
    }

    async fn order_lines_for_repeat(&self, id: i64, organisation_id: i64) -> StoreResult<Vec<(i64, i64)>> {
        on_db!(self.db(), pool => sqlx::query_as(
            "SELECT l.product_id, l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id \
             WHERE o.id = $1 AND o.organisation_id = $2 ORDER BY l.line_no")
            .bind(id).bind(organisation_id).fetch_all(pool).await.map_err(other))
    }

    async fn create_payment(
        &self,
        order_id: i64,
        provider: &str,
        external_id: &str,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO payments (order_id, provider, external_id, amount, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'pending', $5, $5) RETURNING id")
                .bind(order_id).bind(provider).bind(external_id).bind(amount).bind(now)
                .fetch_one(&mut *tx).await.map_err(other)?;
            sqlx::query("UPDATE orders SET payment_status = 'pending', updated_at = $1 WHERE id = $2 AND payment_status <> 'paid'")
                .bind(now).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            tx.commit().await.map_err(other)?;
            Ok(id)
        })
    }

    async fn payment(&self, provider: &str, external_id: &str) -> StoreResult<Option<PaymentRecord>> {
        let row: Option<(i64, i64, i64, String, String, i64, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT y.id, y.order_id, o.organisation_id, y.provider, y.external_id, y.amount, y.status \
             FROM payments y JOIN orders o ON o.id = y.order_id WHERE y.provider = $1 AND y.external_id = $2")
            .bind(provider).bind(external_id).fetch_optional(pool).await.map_err(other)?);
        Ok(row.map(|(id, order_id, organisation_id, provider, external_id, amount, status)| PaymentRecord {
            id,
            order_id,
            organisation_id,
            provider,
            external_id,
            amount,
            status,
        }))
    }

    async fn apply_payment_event(
        &self,
        provider: &str,
        event_id: &str,
        external_id: &str,
        outcome: PaymentOutcome,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let begin = self.begin_write();
        let status = match outcome {
            PaymentOutcome::Succeeded => "succeeded",
            PaymentOutcome::Declined => "declined",
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let fresh = sqlx::query(
                "INSERT INTO payment_events (provider, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(provider).bind(event_id).bind(now).execute(&mut *tx).await.map_err(other)?;
            if fresh.rows_affected() == 0 {
                return Ok(false);
            }
            let payment: Option<(i64, i64, i64, String)> = sqlx::query_as(
                "SELECT id, order_id, amount, status FROM payments WHERE provider = $1 AND external_id = $2")
                .bind(provider).bind(external_id).fetch_optional(&mut *tx).await.map_err(other)?;
            let (payment_id, order_id, expected, current) = payment.ok_or(StoreError::NotFound)?;
            if expected != amount {
                return Err(StoreError::Conflict("amount"));
            }
            // A payment that succeeded stays so; a later decline of the same payment is ignored.
            if current == "succeeded" {
                tx.commit().await.map_err(other)?;
                return Ok(false);
            }
            sqlx::query("UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status).bind(now).bind(payment_id).execute(&mut *tx).await.map_err(other)?;
            let order_status = if outcome == PaymentOutcome::Succeeded { "paid" } else { "declined" };
            sqlx::query("UPDATE orders SET payment_status = $1, updated_at = $2 WHERE id = $3")
                .bind(order_status).bind(now).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            let note = if outcome == PaymentOutcome::Succeeded { "payment.succeeded" } else { "payment.declined" };
            sqlx::query("INSERT INTO order_events (order_id, at, status, note) SELECT id, $1, status, $2 FROM orders WHERE id = $3")
                .bind(now).bind(note).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            if outcome == PaymentOutcome::Succeeded {
                // Paid purchases count towards the retail loyalty tiers.
                sqlx::query("UPDATE organisations SET accumulated = accumulated + $1 \
                     WHERE id = (SELECT organisation_id FROM orders WHERE id = $2) AND kind = 'person'")
                    .bind(amount).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            }
            let actor = Actor { user_id: None, role: None, request_id: None };
            audit!(tx, actor, now, "payment.event", "payment", Some(payment_id), Some(current),
                Some(format!("{status} ({provider} {event_id})")));
            tx.commit().await.map_err(other)?;
            Ok(true)
        })
    }

    async fn invoice_parties(&self, organisation_id: i64) -> StoreResult<(Requisites, Requisites)> {
        let seller_sql = format!("{PARTY_COLUMNS} WHERE kind = 'seller' ORDER BY id LIMIT 1");
        let buyer_sql = format!("{PARTY_COLUMNS} WHERE id = $1");
        on_db!(self.db(), pool => {
            let seller: Option<PartyRow> = sqlx::query_as(AssertSqlSafe(seller_sql.as_str())).fetch_optional(pool).await.map_err(other)?;
            let buyer: Option<PartyRow> = sqlx::query_as(AssertSqlSafe(buyer_sql.as_str()))
                .bind(organisation_id).fetch_optional(pool).await.map_err(other)?;
            match (seller, buyer) {
                (Some(s), Some(b)) => Ok((s.requisites(), b.requisites())),
                _ => Err(StoreError::NotFound),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::ports::NewOrderLine;

    fn line(product_id: i64, quantity: i64) -> NewOrderLine {
        NewOrderLine {
            product_id,
            sku: format!("SKU-{product_id}"),
            name: String::new(),
            unit: Unit::Pcs,
            quantity,
            unit_price: 100,
            gross: 100 * quantity,
            discount: 0,
            total: 100 * quantity,
            vat: 0,
            vat_rate: VatRate::Percent(22),
        }
    }

    fn row(product: i64, location: i64, quantity: i64, kind: &str) -> (i64, i64, i64, String) {
        (product, location, quantity, kind.to_string())
    }

    #[test]
    fn placeholders_are_numbered_in_rows() {
        assert_eq!(marks(1, 3, 1), "$1, $2, $3");
        assert_eq!(marks(2, 2, 2), "($2, $3), ($4, $5)");
    }

    #[test]
    fn warehouses_are_emptied_before_pickup_points() {
        let stock =
            vec![row(1, 1, 3, "pickup"), row(1, 5, 2, "warehouse"), row(1, 4, 1, "warehouse"), row(2, 1, 9, "pickup")];
        let plan = allocate(&[line(1, 4), line(2, 2)], stock).unwrap();
        assert_eq!(
            plan.takes.into_iter().collect::<Vec<_>>(),
            vec![((1, 1), 1), ((1, 4), 1), ((1, 5), 2), ((2, 1), 2)]
        );
        assert_eq!(plan.per_product.into_iter().collect::<Vec<_>>(), vec![(1, 4), (2, 2)]);
    }

    #[test]
    fn a_product_twice_in_one_order_counts_both_lines_against_the_same_stock() {
        let stock = vec![row(7, 2, 5, "warehouse")];
        assert_eq!(
            allocate(&[line(7, 3), line(7, 2)], stock.clone()).unwrap().takes.into_iter().collect::<Vec<_>>(),
            vec![((7, 2), 5)]
        );
        assert_eq!(allocate(&[line(7, 3), line(7, 3)], stock), Err(vec![7]));
    }

    #[test]
    fn lines_without_enough_stock_are_all_named() {
        let stock = vec![row(1, 1, 1, "warehouse"), row(3, 1, 10, "warehouse")];
        assert_eq!(allocate(&[line(1, 2), line(2, 1), line(3, 10)], stock), Err(vec![1, 2]));
    }
}
