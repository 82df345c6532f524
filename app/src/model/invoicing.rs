//! Invoicing area, wire types: the invoices (счета) issued for an order, the bank payments staff
//! record against them, and the payment checks of orders waiting for one.

use chrono::{DateTime, NaiveDate, Utc};
use domain::status::OrderStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub number: String,
    pub issued_on: NaiveDate,
    /// The day it must be paid by: a schedule's own, else the client's deferral after the invoice.
    pub due_on: NaiveDate,
    /// Its place in the order's payment schedule (1-based; `None`: the order's only invoice).
    #[serde(default)]
    pub instalment: Option<u32>,
    pub amount: i64,
    pub paid: i64,
    /// Void: its order was cancelled (no longer a debt, takes no payments).
    #[serde(default)]
    pub cancelled: bool,
    /// What arrived at the bank against it, oldest first.
    #[serde(default)]
    pub payments: Vec<BankPaymentView>,
    /// The day the open payment check of the order falls due (the order waits for this payment
    /// before assembly).
    #[serde(default)]
    pub check_due: Option<NaiveDate>,
}

impl InvoiceView {
    /// What is still to be paid (nothing on a void invoice).
    pub fn outstanding(&self) -> i64 {
        if self.cancelled { 0 } else { (self.amount - self.paid).max(0) }
    }
}

/// A payment from a bank statement recorded against an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankPaymentView {
    pub paid_on: NaiveDate,
    pub document: String,
    pub amount: i64,
    /// Who recorded it, and when.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Why a payment check was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// The invoice was paid in full.
    Paid,
    /// The order was cancelled.
    Cancelled,
    /// The channel stopped waiting for payments before assembly.
    NotNeeded,
}

impl CheckOutcome {
    pub const ALL: [Self; 3] = [Self::Paid, Self::Cancelled, Self::NotNeeded];

    pub fn code(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::Cancelled => "cancelled",
            Self::NotNeeded => "not_needed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// A task in the accountant's queue: see that an order's invoice is paid (seed 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentCheck {
    pub order_id: i64,
    pub order_status: OrderStatus,
    pub client: String,
    pub invoice: String,
    pub amount: i64,
    pub paid: i64,
    pub due_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// When and why it was closed (`None`: open).
    pub closed: Option<(DateTime<Utc>, CheckOutcome)>,
}

/// Why the manager's payment control task was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskOutcome {
    /// The invoice was paid in full.
    Paid,
    /// The invoice became void (its order was cancelled, or a new schedule replaced it).
    Void,
    /// Closed by staff after talking to the client (the note says what was agreed).
    Done,
}

impl TaskOutcome {
    pub const ALL: [Self; 3] = [Self::Paid, Self::Void, Self::Done];

    pub fn code(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::Void => "void",
            Self::Done => "done",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// The responsible manager's task on an invoice's due day: see that the client pays (seed 001).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentTask {
    pub id: i64,
    pub order_id: i64,
    pub client: String,
    /// The client's responsible manager (`None`: the region's managers share the client).
    pub manager: Option<String>,
    pub invoice: String,
    /// The instalment's place in its schedule and how many there are.
    pub instalment: Option<(u32, u32)>,
    pub amount: i64,
    pub paid: i64,
    pub due_on: NaiveDate,
    /// When, why, by whom and with what note it was closed (`None`: open).
    pub closed: Option<TaskClosed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskClosed {
    pub at: DateTime<Utc>,
    pub outcome: TaskOutcome,
    pub by: Option<String>,
    pub note: String,
}

/// The answer to recording a bank payment: the order as it now is, and whether this document had
/// already been recorded (then nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankPaymentReply {
    pub duplicate: bool,
    pub order: super::OrderDetail,
}
