//! Notifications area, ports: events recorded in the transaction of what caused them and turned
//! into messages by the dispatcher; the cabinet's notifications; the outbox that the delivery
//! worker empties (e-mail and SMS, at least once, retried, dead after the last try); the
//! administrator's templates and channel switches; the senders (SMTP, the SMS gateway).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::Locale;
pub use domain::notifications::Channel;
use domain::notifications::{Notice, Switches, Template};

use super::StoreResult;
pub use crate::model::{NotificationItem, OutboxItem, OutboxView};

/// A message recorded for delivery by e-mail or SMS.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// The notice it carries (none for texts such as confirmation codes).
    pub notice: Option<Notice>,
}

/// What happened, as recorded with the change that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    OrderPlaced,
    OrderStatus,
    PaymentReceived,
    /// Part of an order left (a shipment that does not finish it): `{"number", "shipped"}`.
    OrderShipment,
    /// A comment on an order: `{"text", "author", "for_buyer", "by_staff"}`.
    OrderComment,
    /// A refund of a cancelled order reached the buyer: `{"amount"}`.
    RefundDone,
    /// An invoice's due day has come: `{"amount" (left to pay), "invoice", "due"}`.
    PaymentDue,
    /// An invoice is past its due day: `{"amount", "invoice", "due"}`.
    PaymentOverdue,
    /// An order over the client's credit limit waits for a head: `{"amount" (the overrun)}`.
    ApprovalNeeded,
    /// A head approved an order over the credit limit.
    OrderApproved,
    /// A head turned an order over the credit limit down: `{"reason"}`.
    OrderRejected,
    /// The client of the order was given a responsible manager (who hears it).
    ManagerAssigned,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::OrderPlaced => "order.placed",
            Self::OrderStatus => "order.status",
            Self::PaymentReceived => "payment.received",
            Self::OrderShipment => "order.shipment",
            Self::OrderComment => "order.comment",
            Self::RefundDone => "refund.done",
            Self::PaymentDue => "payment.due",
            Self::PaymentOverdue => "payment.overdue",
            Self::ApprovalNeeded => "approval.needed",
            Self::OrderApproved => "order.approved",
            Self::OrderRejected => "order.rejected",
            Self::ManagerAssigned => "crm.manager_assigned",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::OrderPlaced,
            Self::OrderStatus,
            Self::PaymentReceived,
            Self::OrderShipment,
            Self::OrderComment,
            Self::RefundDone,
            Self::PaymentDue,
            Self::PaymentOverdue,
            Self::ApprovalNeeded,
            Self::OrderApproved,
            Self::OrderRejected,
            Self::ManagerAssigned,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// A person a notice may reach, with the channels they turned off.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: Locale,
    pub opted_out: Vec<(Notice, Channel)>,
}

/// The order an event is about, as messages describe it.
#[derive(Debug, Clone)]
pub struct EventOrder {
    pub id: i64,
    /// Kopecks.
    pub total: i64,
    /// The buyer's organisation, or the private person's name.
    pub buyer: String,
    pub status: String,
}

/// An event to be dispatched, with everyone it may concern (its actor left out).
#[derive(Debug, Clone)]
pub struct PendingEvent {
    pub id: i64,
    pub kind: EventKind,
    pub created_at: DateTime<Utc>,
    /// The status an order moved to; the amount of a payment (kopecks).
    pub status: Option<String>,
    pub amount: Option<i64>,
    /// Everything the event recorded (what each kind adds, see [`EventKind`]).
    pub data: serde_json::Value,
    pub order: Option<EventOrder>,
    /// The person who placed the order.
    pub buyer: Vec<Recipient>,
    /// The client's responsible manager, or, with none, the sales staff of the client's region;
    /// for an approval, the region's heads (the administrators when the region has none).
    pub staff: Vec<Recipient>,
}

/// What one event leaves for one person: a notification in the cabinet and messages to send.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub user_id: i64,
    pub notice: Notice,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub messages: Vec<Outgoing>,
}

/// Turns one event into deliveries; runs inside the store's transaction, so it must not wait.
pub type Dispatch<'a> = &'a (dyn Fn(&PendingEvent) -> Vec<Delivery> + Send + Sync);

/// A message claimed for one delivery attempt.
#[derive(Debug, Clone)]
pub struct QueuedMessage {
    pub id: i64,
    pub key: String,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Attempts including this one.
    pub attempts: u32,
}

/// How an attempt ended.
#[derive(Debug, Clone)]
pub enum Attempt {
    Sent {
        via: &'static str,
    },
    /// Failed; tried again at `retry_at`, or dead when `None`.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
    /// Not tried (the server is stopping): handed back as it was.
    Released,
}

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Records a message that nothing else in the database depends on (a security notice).
    async fn queue_message(&self, message: &Outgoing, now: DateTime<Utc>) -> StoreResult<()>;

    /// Records a message that was delivered at `now` by other means (a gateway, at once).
    async fn record_sent(&self, message: &Outgoing, via: &'static str, now: DateTime<Utc>) -> StoreResult<()>;

    /// Dispatches up to `limit` events not dispatched yet, each in its own transaction: what
    /// `dispatch` makes of it is stored and the event marked, or nothing is. Several servers may
    /// run this at once; each event is taken by one. Returns how many were dispatched.
    async fn dispatch_events(&self, now: DateTime<Utc>, limit: i64, dispatch: Dispatch<'_>) -> StoreResult<usize>;

    /// Claims up to `limit` messages of these channels that are due, until `lease_until` (another
    /// server takes them only after that); each claim counts as an attempt.
    async fn claim_messages(
        &self,
        channels: &[Channel],
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<QueuedMessage>>;

    async fn finish_attempt(&self, id: i64, attempt: &Attempt, now: DateTime<Utc>) -> StoreResult<()>;

    /// The outbox for the administrator, newest first, with the count in each state.
    async fn outbox(&self, state: OutboxView, before: Option<i64>, limit: i64) -> StoreResult<Vec<OutboxItem>>;

    async fn outbox_counts(&self) -> StoreResult<[i64; 3]>;

    /// Puts a dead message back in the queue, due now, with its attempts counted afresh.
    async fn retry_message(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;

    async fn notifications(&self, user_id: i64, before: Option<i64>, limit: i64) -> StoreResult<Vec<NotificationItem>>;

    async fn unread_count(&self, user_id: i64) -> StoreResult<i64>;

    /// Marks one notification (or, with `None`, all) of this person read.
    async fn mark_read(&self, user_id: i64, id: Option<i64>, now: DateTime<Utc>) -> StoreResult<()>;

    /// The newest notification's id (0 with none): the live bell's watcher compares it.
    async fn latest_notification(&self) -> StoreResult<i64>;

    /// The administrator's templates (those not saved are the built-in ones).
    async fn templates(&self) -> StoreResult<Vec<(Notice, Locale, Template)>>;

    async fn template(&self, notice: Notice, locale: Locale) -> StoreResult<Option<Template>>;

    /// Saves a checked template; `None` goes back to the built-in one.
    async fn save_template(
        &self,
        notice: Notice,
        locale: Locale,
        template: Option<&Template>,
        actor: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// The administrator's channel switches (notices not listed keep their defaults).
    async fn switches(&self) -> StoreResult<Vec<(Notice, Switches)>>;

    async fn save_switches(
        &self,
        notice: Notice,
        switches: Switches,
        actor: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    async fn opt_outs(&self, user_id: i64) -> StoreResult<Vec<(Notice, Channel)>>;

    /// Replaces the channels this person turned off.
    async fn save_opt_outs(&self, user_id: i64, off: &[(Notice, Channel)]) -> StoreResult<()>;
}

/// Why an SMS did not go out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The gateway refused this number (not mobile, blocked, unknown to it).
    #[error("the gateway refused the number")]
    Refused,
    /// The gateway could not be reached or failed; the text may be sent again later.
    #[error("the SMS gateway failed: {0}")]
    Unavailable(String),
}

/// Sends an SMS now. A real provider is one implementation; the sandbox (demo and tests) sends
/// nothing and lets the page show what it would have sent.
#[async_trait]
pub trait SmsGateway: Send + Sync {
    /// Whether nothing really leaves (the sandbox): pages may then show what was "sent".
    fn is_sandbox(&self) -> bool;

    async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError>;
}

/// Why an e-mail did not go out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The server refused it for good (a bad address): trying again will not help.
    #[error("refused: {0}")]
    Permanent(String),
    /// The server could not be reached, or asked to try later.
    #[error("failed: {0}")]
    Temporary(String),
}

/// Hands an e-mail to the mail server (SMTP).
#[async_trait]
pub trait Mailer: Send + Sync {
    /// `message_id` is the same for every attempt of one message, so a receiver that saw it
    /// already can tell.
    async fn send(&self, to: &str, subject: &str, body: &str, message_id: &str) -> Result<(), MailError>;
}
