//! Invoicing area, wire types: the invoices (счета) issued for an order, the bank payments staff
//! record against them, and the payment checks of orders waiting for one.

use chrono::{DateTime, NaiveDate, Utc};
use domain::status::OrderStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub number: String,
    pub issued_on: NaiveDate,
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

/// The answer to recording a bank payment: the order as it now is, and whether this document had
/// already been recorded (then nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankPaymentReply {
    pub duplicate: bool,
    pub order: super::OrderDetail,
}
