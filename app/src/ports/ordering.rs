//! Ordering area, storage port: placing an order in one transaction, the organisation's orders.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::ordering::assembly::{LineProgress, MoveFill};
use domain::ordering::workflow::SalesChannel;
use domain::pricing::PriceType;
use domain::status::OrderStatus;
use domain::{Unit, VatRate};

use super::cart::CartOwner;
use super::{Actor, Reach, StoreError, StoreResult};
use crate::model::{
    ChannelSettings, Fulfilment, OrderDetail, OrderFilter, OrderQueue, OrderSummary, PaymentMethod, PaymentStatus,
};

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

/// An order's place in its workflow.
#[derive(Debug, Clone, Copy)]
pub struct OrderState {
    pub channel: SalesChannel,
    pub status: OrderStatus,
    pub facts: domain::ordering::workflow::OrderFacts,
}

/// One move of an order along its workflow.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub order_id: i64,
    pub from: OrderStatus,
    pub to: OrderStatus,
    /// Why (a cancellation's reason), shown in the timeline.
    pub note: String,
    /// What the move does to the lines: all picked, or what is left shipped in a last shipment.
    pub fill: MoveFill,
    pub now: DateTime<Utc>,
}

/// A comment on an order, checked.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub order_id: i64,
    pub author: i64,
    pub author_name: String,
    pub body: String,
    pub for_buyer: bool,
    pub by_staff: bool,
}

/// Picked quantities or a shipment recorded against the lines as the caller saw them; the store
/// refuses it as a conflict if the order or a line changed meanwhile.
#[derive(Debug, Clone)]
pub struct AssemblyChange {
    pub order_id: i64,
    /// The status the caller saw.
    pub status: OrderStatus,
    /// The lines as the caller checked them (in line order)…
    pub seen: Vec<LineProgress>,
    /// …and as they become.
    pub after: Vec<LineProgress>,
    /// A shipment (the difference in `shipped` leaves) rather than picking.
    pub shipment: bool,
    pub note: String,
    /// The moves the change completes, in order (all picked → assembled; all shipped → shipped).
    pub moves: Vec<OrderStatus>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub organisation_id: i64,
    pub buyer_user_id: i64,
    pub channel: domain::ordering::workflow::SalesChannel,
    pub status: OrderStatus,
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
    /// When the order's payment check falls due, if its channel waits for invoices to be paid.
    pub check_due: chrono::NaiveDate,
}

#[derive(Debug)]
pub enum PlaceError {
    /// Not enough stock for these products (ids).
    OutOfStock(Vec<i64>),
    /// A price or the client's debt changed while the order was being placed.
    Changed,
    Store(StoreError),
}

impl From<StoreError> for PlaceError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

#[async_trait]
pub trait OrderStore: Send + Sync + 'static {
    /// Places the order in one transaction: price guard, stock reservation, credit guard, invoice,
    /// timeline, the cart emptied, the audit record.
    async fn place_order(&self, order: &NewOrder, actor: &Actor) -> Result<i64, PlaceError>;

    /// The orders within reach, newest first (a retail buyer is an organisation of one).
    async fn orders(&self, reach: &Reach) -> StoreResult<Vec<OrderSummary>>;

    /// Moves an order from `from` to `to` (the caller checked the workflow), with a timeline
    /// event and an audit entry; a cancellation gives its reserved units back to stock in the same
    /// transaction. `Conflict` when the order is no longer in `from` (someone moved it first).
    async fn move_order(&self, change: &StatusChange, actor: &Actor) -> StoreResult<()>;

    /// Records picked quantities or a shipment (a shipment also stops holding what left), with
    /// the timeline entries and the moves it completes, in one transaction.
    async fn change_assembly(&self, change: &AssemblyChange, actor: &Actor) -> StoreResult<()>;

    /// Adds a comment to the order (the caller checked it and the order's reach), with the event
    /// that tells the other side (`by_staff`: written by the seller's staff).
    async fn add_order_comment(&self, comment: &NewComment, now: DateTime<Utc>) -> StoreResult<()>;

    /// The staff queue: one page (`per_page` rows) of the orders within reach that match, newest
    /// first unless asked otherwise, with the count per status. Days are Moscow days.
    async fn order_queue(&self, reach: &Reach, filter: &OrderFilter, per_page: i64) -> StoreResult<OrderQueue>;

    /// Orders paid online still new and unpaid, placed before `cutoff` (at most `limit`).
    async fn unpaid_since(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<Vec<i64>>;

    /// The order if it is within reach.
    async fn order(&self, id: i64, reach: &Reach) -> StoreResult<Option<OrderDetail>>;

    /// What decides an order's moves (its channel, status and facts), in one query, if it is
    /// within reach: what a move checks before it is made.
    async fn order_state(&self, id: i64, reach: &Reach) -> StoreResult<Option<OrderState>>;

    /// The order's lines as (product id, quantity), for "repeat order".
    /// Every sales channel's settings, in the order of `SalesChannel::ALL`.
    async fn sales_channels(&self) -> StoreResult<Vec<ChannelSettings>>;

    /// Sets whether the channel's invoice orders wait for payment before assembly. Switching it on
    /// opens a payment check (due `due_on`) for each of its orders that has an unpaid invoice and
    /// has not reached assembly; switching it off closes its open checks as not needed. Answers how
    /// many checks were opened or closed.
    async fn set_channel_prepay(
        &self,
        channel: SalesChannel,
        prepay: bool,
        due_on: NaiveDate,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;

    async fn order_lines_for_repeat(&self, id: i64, reach: &Reach) -> StoreResult<Vec<(i64, i64)>>;
}
