//! Catalog area, storage port: products, categories, search with facets, stock by location, the
//! discount policy and each buyer's commercial terms.

use async_trait::async_trait;
use domain::OrgKind;
use domain::credit::CreditTerms;
use domain::pricing::{DiscountPolicy, PriceType, ProductPrices};
use domain::{Unit, VatRate};

use super::{Actor, StoreResult};
use crate::model::{Sort, StockAt};

/// A client organisation's commercial terms.
#[derive(Debug, Clone)]
pub struct BuyerTerms {
    pub org_kind: OrgKind,
    pub price_type: PriceType,
    /// Basis points (hundredths of a percent).
    pub personal_discount_bp: i64,
    pub accumulated: i64,
    pub credit: CreditTerms,
}

/// A product as stored, with every price.
#[derive(Debug, Clone)]
pub struct ProductRecord {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub brand: String,
    pub category_id: i64,
    pub category: String,
    pub unit: Unit,
    pub prices: ProductPrices,
    pub vat: VatRate,
    pub stock: i64,
    pub warranty_months: i32,
    pub returnable: bool,
    pub description: String,
}

/// What a product page shows of the product: the record with its description, its attributes
/// (by name) and its analogs that are in stock (by name, at most 12).
#[derive(Debug, Clone)]
pub struct ProductDetails {
    pub record: ProductRecord,
    pub attributes: Vec<(String, String)>,
    pub analogs: Vec<ProductRecord>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
}

/// A catalog search as the store runs it: everything already parsed and bounded.
#[derive(Debug, Clone)]
pub struct CatalogQuery {
    /// Stemmed terms, each matched as a prefix (domain::search).
    pub terms: Vec<String>,
    /// The chosen category and all below it.
    pub category_ids: Vec<i64>,
    pub brands: Vec<String>,
    /// The price column filters and sorts by (the viewer's price type).
    pub price_type: PriceType,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub in_stock: bool,
    pub attributes: Vec<(String, String)>,
    /// Attribute facets are counted only inside a category.
    pub attribute_facets: bool,
    pub sort: Sort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Default)]
pub struct CatalogResult {
    pub rows: Vec<ProductRecord>,
    pub total: i64,
    /// (category id, count) for the results ignoring the category filter.
    pub categories: Vec<(i64, i64)>,
    /// (brand, count) ignoring the brand filter.
    pub brands: Vec<(String, i64)>,
    /// (name, value, count) ignoring the attribute filters.
    pub attributes: Vec<(String, String, i64)>,
    pub in_stock: i64,
    pub price_range: Option<(i64, i64)>,
}

#[async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    async fn discount_policy(&self) -> StoreResult<DiscountPolicy>;

    async fn buyer_terms(&self, organisation_id: i64) -> StoreResult<BuyerTerms>;

    async fn categories(&self) -> StoreResult<Vec<Category>>;

    async fn search(&self, query: &CatalogQuery) -> StoreResult<CatalogResult>;

    /// The catalog's version: the newest change to any product's price, stock or text (`None`
    /// for an empty catalog), read after this call began. What was shown at one version is still
    /// right while it stands.
    async fn catalog_version(&self) -> StoreResult<Option<chrono::DateTime<chrono::Utc>>>;

    async fn product(&self, id: i64) -> StoreResult<Option<ProductRecord>>;

    /// An active product for its page; `None` if there is no such product on sale.
    async fn product_details(&self, id: i64) -> StoreResult<Option<ProductDetails>>;

    async fn product_stock(&self, id: i64) -> StoreResult<Vec<StockAt>>;

    async fn products_by_sku(&self, skus: &[String]) -> StoreResult<Vec<ProductRecord>>;

    async fn pickup_points(&self) -> StoreResult<Vec<StockAt>>;

    /// Pickup points with their stock of each of these products: (location id, product id, quantity).
    async fn stock_at_pickup_points(&self, product_ids: &[i64]) -> StoreResult<Vec<(i64, i64, i64)>>;

    /// Staff: a product's prices and the available quantity at one location (1C exchange later).
    async fn set_price_and_stock(
        &self,
        product_id: i64,
        prices: ProductPrices,
        location_id: i64,
        quantity: i64,
        actor: &Actor,
    ) -> StoreResult<()>;
}
