//! Ordering area, wire types: checkout, the buyer's orders and their pages, loyalty standing.

use chrono::{DateTime, NaiveDate, Utc};
use domain::StatusMachine;
use domain::credit::CreditCheck;
use domain::ordering::assembly::{LineProgress, shares};
use domain::ordering::workflow::{OrderFacts, SalesChannel};
use domain::pricing::{Document, LineAmount};
use domain::status::OrderStatus;
use domain::{Quantity, Unit, VatRate};
use serde::{Deserialize, Serialize};

use super::invoicing::InvoiceView;
use super::payments::{PaymentMethod, PaymentStatus, PaymentView, RefundView};

pub use domain::ordering::Fulfilment;

/// What the buyer submits at checkout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutForm {
    pub fulfilment: Fulfilment,
    pub pickup_location_id: Option<i64>,
    pub delivery_address: String,
    pub payment: PaymentMethod,
    pub comment: String,
    /// The total the buyer saw, kopecks: if the server's differs, nothing is placed and the buyer is told.
    pub expected_total: i64,
    /// Guests only: who is buying.
    pub guest_name: String,
    pub guest_phone: String,
    /// Guests only: the code sent by SMS to `guest_phone` (`send_phone_code`).
    #[serde(default)]
    pub guest_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutOutcome {
    /// Placed; go to the order (or to the payment page first).
    Placed { order_id: i64, pay_url: Option<String>, account_created: bool },
    /// The guest's confirmed phone belongs to a returning buyer, now signed in: their cart (with
    /// what the guest had put in it) and their prices are shown before anything is placed.
    SignedIn,
    /// The total changed since the buyer looked: show the new cart.
    TotalChanged { expected: i64, actual: i64 },
    /// Wholesale: overdue debt blocks new orders on credit.
    CreditBlocked(CreditCheck),
    /// Not enough stock for these products (at the chosen pickup point).
    OutOfStock(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub total: i64,
    pub lines: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: Unit,
    pub quantity: i64,
    /// How much is picked and how much has left (thousandths of the unit, like `quantity`).
    #[serde(default)]
    pub picked: i64,
    pub shipped: i64,
    /// List price of the buyer's price type, before discounts.
    pub unit_price: i64,
    pub discount: i64,
    /// The line sum after discounts.
    pub total: i64,
    pub vat_rate: VatRate,
    pub vat: i64,
}

impl OrderLineView {
    /// What the line's document positions are made from (the store checks quantities on reading).
    pub fn amount(&self) -> LineAmount {
        let quantity = Quantity::from_thousandths(self.quantity, self.unit).unwrap_or(Quantity::ONE);
        LineAmount { quantity, sum: self.total, vat: self.vat_rate }
    }
}

/// What a timeline entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderChange {
    /// The order entered `status` (from `previous`; `None` when it was placed).
    Status { previous: Option<OrderStatus> },
    /// Line `line` (its index) picked: before → after, thousandths of its unit.
    Picked { line: usize, before: i64, after: i64 },
    /// Shipment number `number` left (its lines in `OrderDetail::shipments`).
    Shipment { number: i64 },
    /// A bank payment of `amount` kopecks was recorded against the invoice (its document number).
    Payment { amount: i64, document: String },
    /// The payment schedule was set or changed: the instalments (due day, kopecks) before and after.
    Schedule { before: Vec<(NaiveDate, i64)>, after: Vec<(NaiveDate, i64)> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub at: DateTime<Utc>,
    /// The order's status after this change.
    pub status: OrderStatus,
    pub change: OrderChange,
    pub note: String,
    /// Who made the change and in which role (`None`: the system, e.g. an unpaid order released).
    #[serde(default)]
    pub by: Option<(String, domain::Role)>,
    /// Where the change was made (`None`: recorded before this was kept).
    #[serde(default)]
    pub via: Option<Via>,
}

/// Where a change of an order was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The buyer's own cabinet.
    Cabinet,
    /// A staff member's cabinet.
    Staff,
    /// Kabinet itself (an unpaid order released).
    System,
    /// A payment provider's report.
    Payment,
}

impl Via {
    pub const ALL: [Self; 4] = [Self::Cabinet, Self::Staff, Self::System, Self::Payment];

    pub fn code(self) -> &'static str {
        match self {
            Self::Cabinet => "cabinet",
            Self::Staff => "staff",
            Self::System => "system",
            Self::Payment => "payment",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Where a change by someone in this role (`None`: nobody) is made.
    pub fn of(role: Option<domain::Role>) -> Self {
        match role {
            None => Self::System,
            Some(role) if role.is_staff() => Self::Staff,
            Some(_) => Self::Cabinet,
        }
    }
}

/// One shipment of an order: when, by whom, and how much of which line (index, thousandths).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentView {
    pub number: i64,
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    pub note: String,
    pub lines: Vec<(usize, i64)>,
}

/// A comment on an order: staff's internal note (`for_buyer` false) or one the buyer sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderComment {
    pub at: DateTime<Utc>,
    pub by: (String, domain::Role),
    pub body: String,
    pub for_buyer: bool,
}

/// Where an order stands, as its buyer's open page follows it live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderProgress {
    pub status: OrderStatus,
    pub shares: domain::ordering::assembly::Shares,
    pub shipments: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub id: i64,
    /// The buying organisation (a retail buyer is an organisation of one).
    pub organisation_id: i64,
    pub created_at: DateTime<Utc>,
    pub channel: SalesChannel,
    pub status: OrderStatus,
    pub fulfilment: Fulfilment,
    pub pickup_point: Option<String>,
    pub delivery_address: Option<String>,
    pub payment_method: PaymentMethod,
    pub payment_status: PaymentStatus,
    pub gross: i64,
    pub discount: i64,
    pub total: i64,
    pub vat: i64,
    pub comment: String,
    pub credit_check: Option<CreditCheck>,
    pub lines: Vec<OrderLineView>,
    pub events: Vec<OrderEvent>,
    #[serde(default)]
    pub shipments: Vec<ShipmentView>,
    /// Refunds of a cancelled paid order.
    #[serde(default)]
    pub refunds: Vec<RefundView>,
    /// Oldest first; a buyer is given only those for them (`order_for`).
    #[serde(default)]
    pub comments: Vec<OrderComment>,
    pub payments: Vec<PaymentView>,
    /// The order's invoices: one, or one per instalment of its payment schedule, in order.
    #[serde(default)]
    pub invoices: Vec<InvoiceView>,
    /// The order's channel assembles orders paid by invoice only once paid (the administrator's
    /// setting when the order is read).
    #[serde(default)]
    pub prepay: bool,
    /// Whether the viewer may record a bank payment against the invoice now (accounting staff, an
    /// invoice with something left to pay); filled in by the server function.
    #[serde(default)]
    pub may_record_payment: bool,
    /// Whether the viewer may set the payment schedule now (sales staff; invoices not yet paid
    /// from, not void; the order does not wait for its payment before assembly); by the server
    /// function.
    #[serde(default)]
    pub may_schedule: bool,
    /// The client's responsible manager with the choices, for those who may assign one (heads,
    /// administrators); by the server function.
    #[serde(default)]
    pub client_manager: Option<super::ClientManager>,
    /// Whether a new online payment may be started now (the order allows it and a payment
    /// provider is configured); filled in by the server function, not the store.
    #[serde(default)]
    pub payable_online: bool,
    /// The moves the viewer may make now (the order page's buttons); filled in by the server
    /// function from the channel's workflow, not the store.
    #[serde(default)]
    pub moves: Vec<OrderStatus>,
    /// Until when an unpaid online order keeps its reserved stock (then it is cancelled).
    #[serde(default)]
    pub hold_until: Option<DateTime<Utc>>,
}

impl OrderDetail {
    /// What beside its status decides the order's moves.
    pub fn facts(&self) -> OrderFacts {
        OrderFacts {
            fulfilment: self.fulfilment,
            payment_method: self.payment_method,
            payment_status: self.payment_status,
            shipped: self.lines.iter().any(|l| l.shipped > 0),
            prepay: self.prepay,
        }
    }

    /// The lines as assembly and shipment see them.
    pub fn assembly(&self) -> Vec<LineProgress> {
        self.lines
            .iter()
            .map(|l| LineProgress {
                unit: l.unit,
                quantity: l.quantity,
                picked: l.picked,
                shipped: l.shipped,
                total: l.total,
            })
            .collect()
    }

    /// Where the order stands (what the buyer's page follows live).
    pub fn progress(&self) -> OrderProgress {
        OrderProgress { status: self.status, shares: shares(&self.assembly()), shipments: self.shipments.len() }
    }
}

impl OrderDetail {
    /// The order's printed positions: the order page and the invoice show exactly these.
    pub fn document(&self) -> Document {
        domain::pricing::document(self.lines.iter().map(OrderLineView::amount))
    }
}

/// The retail buyer's loyalty standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loyalty {
    pub accumulated: i64,
    pub tier: Option<(String, String)>,
    /// The next tier's name, its discount and how much more to buy to reach it.
    pub next: Option<(String, String, i64)>,
}

/// The order of the staff queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueSort {
    #[default]
    Newest,
    Oldest,
    Largest,
    Smallest,
}

impl QueueSort {
    pub const ALL: [Self; 4] = [Self::Newest, Self::Oldest, Self::Largest, Self::Smallest];

    pub fn code(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Largest => "largest",
            Self::Smallest => "smallest",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Whose clients' orders: nobody's yet, or one manager's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagerPick {
    Nobody,
    User(i64),
}

/// What a staff member asks of the orders queue; every part optional (the page's GET form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    /// The clients' responsible manager.
    #[serde(default)]
    pub manager: Option<ManagerPick>,
    /// Placed on or after this day (Moscow).
    pub from: Option<chrono::NaiveDate>,
    /// Placed on or before this day (Moscow).
    pub to: Option<chrono::NaiveDate>,
    pub number: Option<i64>,
    /// Part of the buying organisation's or the buyer's name.
    pub who: String,
    /// Total at least / at most, kopecks.
    pub min_total: Option<i64>,
    pub max_total: Option<i64>,
    pub status: Option<OrderStatus>,
    pub channel: Option<SalesChannel>,
    pub sort: QueueSort,
    /// From 1.
    pub page: i64,
}

impl OrderFilter {
    /// The filter from the queue's address (`get` reads one parameter). A value that does not parse
    /// is left out and named as (field, error code).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> (Self, Vec<(&'static str, &'static str)>) {
        let mut bad = Vec::new();
        let text = |name: &str| get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut number = |name: &'static str, scale: i64| {
            text(name).and_then(|v| match v.replace(' ', "").parse::<i64>() {
                Ok(n) if n >= 0 => n.checked_mul(scale),
                _ => {
                    bad.push((name, "queue.number"));
                    None
                }
            })
        };
        let (number, min_total, max_total) = (number("number", 1), number("min", 100), number("max", 100));
        let mut date = |name: &'static str| {
            text(name).and_then(|v| match chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    bad.push((name, "queue.date"));
                    None
                }
            })
        };
        let (from, to) = (date("from"), date("to"));
        let manager = text("manager").and_then(|m| match m.as_str() {
            "none" => Some(ManagerPick::Nobody),
            id => id.parse().ok().map(ManagerPick::User),
        });
        let filter = Self {
            manager,
            from,
            to,
            number,
            who: text("who").unwrap_or_default(),
            min_total,
            max_total,
            status: text("status").and_then(|s| OrderStatus::parse(&s)),
            channel: text("channel").and_then(|c| SalesChannel::parse(&c)),
            sort: text("sort").and_then(|s| QueueSort::parse(&s)).unwrap_or_default(),
            page: text("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        };
        (filter, bad)
    }

    /// The query string of this filter (without `?`), with another status and page: the chips,
    /// the pages and the Excel link keep everything else.
    pub fn to_query(&self, status: Option<OrderStatus>, page: i64) -> String {
        let mut parts = Vec::new();
        let mut put = |k: &str, v: String| parts.push(format!("{k}={}", super::url::encode(&v)));
        if let Some(n) = self.number {
            put("number", n.to_string());
        }
        if !self.who.is_empty() {
            put("who", self.who.clone());
        }
        if let Some(d) = self.from {
            put("from", d.to_string());
        }
        if let Some(d) = self.to {
            put("to", d.to_string());
        }
        if let Some(m) = self.min_total {
            put("min", (m / 100).to_string());
        }
        if let Some(m) = self.max_total {
            put("max", (m / 100).to_string());
        }
        if let Some(c) = self.channel {
            put("channel", c.code().into());
        }
        match self.manager {
            Some(ManagerPick::Nobody) => put("manager", "none".into()),
            Some(ManagerPick::User(id)) => put("manager", id.to_string()),
            None => {}
        }
        if self.sort != QueueSort::Newest {
            put("sort", self.sort.code().into());
        }
        if let Some(s) = status {
            put("status", s.code().into());
        }
        if page > 1 {
            put("page", page.to_string());
        }
        parts.join("&")
    }
}

/// One order in the staff queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub channel: SalesChannel,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub total: i64,
    pub organisation: String,
    pub buyer: String,
    /// The client's responsible manager, if any.
    pub manager: Option<String>,
}

/// A page of the staff queue, with the count per status of everything the filter matches
/// (whatever status it asks for: the chips).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQueue {
    pub rows: Vec<QueueRow>,
    pub matching: i64,
    pub by_status: Vec<(OrderStatus, i64)>,
    /// The managers responsible for clients within reach (the manager filter's choices).
    pub managers: Vec<(i64, String)>,
    pub page: i64,
    pub pages: i64,
}

/// Rows per page of the staff queue.
pub const QUEUE_PAGE: i64 = 50;

/// The administrator's settings of one sales channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    pub channel: SalesChannel,
    /// Orders paid by invoice are assembled only once paid; each waits with a payment check in
    /// the accountant's queue.
    pub prepay: bool,
    /// Open payment checks of the channel's orders.
    pub open_checks: i64,
}
