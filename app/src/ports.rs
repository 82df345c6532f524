//! What the server functions need from storage. Declared here, implemented by the `server` crate
//! with sqlx for SQLite and PostgreSQL, handed in through Leptos context as `Arc<dyn Store>`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Locale, LoginId, OrgKind, Role, ThrottleState};

use crate::model::{CurrentUser, OrganisationSummary, SessionInfo, UserSummary};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value is taken: the name of the field.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    #[error("storage: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A user with what is needed to check a password.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub user: CurrentUser,
    pub password_hash: Option<String>,
    pub active: bool,
}

/// Who did something, for the audit trail.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub role: Option<Role>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: i64,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub organisation_id: i64,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Invite,
    Reset,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            Self::Invite => "invite",
            Self::Reset => "reset",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PasswordToken {
    pub token_hash: String,
    pub purpose: TokenPurpose,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }
}

/// A message recorded for delivery by e-mail or SMS.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct ProfileChange {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Answers when the database does.
    async fn ping(&self) -> StoreResult<()>;

    async fn find_user_by_login(&self, login: &LoginId) -> StoreResult<Option<UserRecord>>;
    async fn find_user(&self, user_id: i64) -> StoreResult<Option<UserRecord>>;

    async fn throttle_get(&self, key: &str) -> StoreResult<ThrottleState>;
    async fn throttle_put(&self, key: &str, state: &ThrottleState) -> StoreResult<()>;
    async fn throttle_clear(&self, key: &str) -> StoreResult<()>;

    /// Creates a session, removing the one it replaces (rotation on sign-in).
    async fn create_session(&self, session: &NewSession, replaces: Option<&str>, actor: &Actor) -> StoreResult<()>;
    /// The live session with this token hash and its user; refreshes `last_seen_at` now and then.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<(i64, CurrentUser)>>;
    async fn delete_session(&self, token_hash: &str, actor: &Actor) -> StoreResult<()>;
    async fn list_sessions(&self, user_id: i64, now: DateTime<Utc>) -> StoreResult<Vec<SessionInfo>>;
    /// Revokes one session of this user; `NotFound` when the user has no such session.
    async fn revoke_session(&self, user_id: i64, session_id: i64, actor: &Actor) -> StoreResult<()>;
    /// Revokes every session of the user but `keep` (a token hash).
    async fn revoke_sessions(&self, user_id: i64, keep: Option<&str>, actor: &Actor) -> StoreResult<u64>;

    /// Registers a retail buyer with an organisation of their own.
    async fn create_retail_buyer(
        &self,
        name: &str,
        phone: &str,
        password_hash: &str,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    async fn update_profile(&self, user_id: i64, change: &ProfileChange, actor: &Actor) -> StoreResult<()>;
    /// Replaces the password and revokes every other session.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()>;
    async fn set_locale(&self, user_id: i64, locale: Locale) -> StoreResult<()>;

    async fn list_users(&self) -> StoreResult<Vec<UserSummary>>;
    async fn list_organisations(&self) -> StoreResult<Vec<OrganisationSummary>>;
    async fn organisation_kind(&self, organisation_id: i64) -> StoreResult<Option<OrgKind>>;
    /// Creates a user without a password plus the invitation to set one, in one transaction.
    async fn create_user(
        &self,
        user: &NewUser,
        token: &PasswordToken,
        message: &Outgoing,
        actor: &Actor,
    ) -> StoreResult<i64>;
    async fn issue_password_token(
        &self,
        user_id: i64,
        token: &PasswordToken,
        message: &Outgoing,
        actor: &Actor,
    ) -> StoreResult<()>;
    /// Uses a live token once: sets the password, marks the token used, revokes all sessions.
    /// `NotFound` when the token is unknown, used or expired.
    async fn redeem_password_token(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
}

// ---------------------------------------------------------------------------------------------
// Catalog, carts, orders and payments.

use domain::credit::{CreditTerms, OpenInvoice};
use domain::pricing::{DiscountPolicy, PriceType, ProductPrices};
use domain::{Unit, VatRate};

use crate::model::shop::{Fulfilment, OrderDetail, OrderSummary, PaymentMethod, PaymentStatus, Sort, StockAt};

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

/// Whose cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CartOwner {
    User(i64),
    /// A guest browser: the hash of its cart cookie.
    Guest(String),
}

/// One line of a new order, priced by the server.
#[derive(Debug, Clone)]
pub struct NewOrderLine {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: Unit,
    pub quantity: i64,
    /// The list price the line was priced at: placement fails if the product's price changed since.
    pub unit_price: i64,
    pub gross: i64,
    pub discount: i64,
    pub total: i64,
    pub vat: i64,
    pub vat_rate: VatRate,
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub organisation_id: i64,
    pub buyer_user_id: i64,
    pub status: String,
    pub price_type: PriceType,
    pub fulfilment: Fulfilment,
    /// Pickup: stock is reserved at this location only; delivery: warehouses first, then shops.
    pub pickup_location_id: Option<i64>,
    pub delivery_address: Option<String>,
    pub payment_method: PaymentMethod,
    pub payment_status: PaymentStatus,
    pub gross: i64,
    pub discount: i64,
    pub total: i64,
    pub vat: i64,
    pub discount_sources: String,
    pub credit_check: Option<String>,
    /// The client's outstanding debt the credit check saw: placement fails if it changed since.
    pub credit_guard: Option<i64>,
    /// Issue an invoice (счёт) for the order, due by the client's deferral.
    pub invoice: bool,
    pub comment: String,
    pub lines: Vec<NewOrderLine>,
    /// The cart to empty in the same transaction.
    pub cart: CartOwner,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceError {
    /// Not enough stock for these products (ids).
    OutOfStock(Vec<i64>),
    /// A price or the client's debt changed while the order was being placed.
    Changed,
    Store(String),
}

impl From<StoreError> for PlaceError {
    fn from(e: StoreError) -> Self {
        Self::Store(e.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcome {
    Succeeded,
    Declined,
}

#[derive(Debug, Clone)]
pub struct PaymentRecord {
    pub id: i64,
    pub order_id: i64,
    pub organisation_id: i64,
    pub provider: String,
    pub external_id: String,
    pub amount: i64,
    pub status: String,
}

#[async_trait]
pub trait CommerceStore: Send + Sync + 'static {
    async fn discount_policy(&self) -> StoreResult<DiscountPolicy>;
    async fn buyer_terms(&self, organisation_id: i64) -> StoreResult<BuyerTerms>;
    async fn open_invoices(&self, organisation_id: i64) -> StoreResult<Vec<OpenInvoice>>;

    async fn categories(&self) -> StoreResult<Vec<Category>>;
    async fn search(&self, query: &CatalogQuery) -> StoreResult<CatalogResult>;
    async fn product(&self, id: i64) -> StoreResult<Option<ProductRecord>>;
    async fn product_attributes(&self, id: i64) -> StoreResult<Vec<(String, String)>>;
    async fn product_stock(&self, id: i64) -> StoreResult<Vec<StockAt>>;
    /// Analogs of a product that are in stock.
    async fn analogs(&self, id: i64) -> StoreResult<Vec<ProductRecord>>;
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

    /// (product, quantity in thousandths) in the order they were added.
    async fn cart_items(&self, owner: &CartOwner) -> StoreResult<Vec<(ProductRecord, i64)>>;
    /// Adds to a line (`replace` = false) or sets it; a quantity of 0 removes it.
    async fn cart_put(
        &self,
        owner: &CartOwner,
        product_id: i64,
        quantity: i64,
        replace: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Moves a guest cart's lines into the user's cart (quantities add up) and deletes the guest cart.
    async fn cart_merge(&self, guest_hash: &str, user_id: i64, now: DateTime<Utc>) -> StoreResult<()>;

    /// Places the order in one transaction: price guard, stock reservation, credit guard, invoice,
    /// timeline, the cart emptied, the audit record.
    async fn place_order(&self, order: &NewOrder, actor: &Actor) -> Result<i64, PlaceError>;
    /// The organisation's orders, newest first (a retail buyer is an organisation of one).
    async fn orders(&self, organisation_id: i64) -> StoreResult<Vec<OrderSummary>>;
    /// The order if it belongs to the organisation.
    async fn order(&self, id: i64, organisation_id: i64) -> StoreResult<Option<OrderDetail>>;
    /// The order's lines as (product id, quantity), for "repeat order".
    async fn order_lines_for_repeat(&self, id: i64, organisation_id: i64) -> StoreResult<Vec<(i64, i64)>>;

    async fn create_payment(
        &self,
        order_id: i64,
        provider: &str,
        external_id: &str,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    async fn payment(&self, provider: &str, external_id: &str) -> StoreResult<Option<PaymentRecord>>;
    /// Applies a provider's report once: a replayed event id changes nothing and answers `false`.
    async fn apply_payment_event(
        &self,
        provider: &str,
        event_id: &str,
        external_id: &str,
        outcome: PaymentOutcome,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// The seller's own requisites and the buyer's, for invoices: (seller, buyer).
    async fn invoice_parties(&self, organisation_id: i64) -> StoreResult<(Requisites, Requisites)>;
}

#[derive(Debug, Clone, Default)]
pub struct Requisites {
    pub name: String,
    pub inn: Option<String>,
    pub kpp: Option<String>,
    pub address: Option<String>,
    pub bank_name: Option<String>,
    pub bik: Option<String>,
    pub settlement_account: Option<String>,
    pub correspondent_account: Option<String>,
}
