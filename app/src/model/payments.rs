//! Payments area, wire types: how an order is paid and where its payment stands.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use domain::ordering::{PaymentMethod, PaymentStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i64,
    pub provider: String,
    pub amount: i64,
    pub status: domain::payments::AttemptStatus,
    pub created_at: DateTime<Utc>,
}

/// Money going back to the buyer (a cancelled paid order): how much, since when, whether it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundView {
    pub amount: i64,
    pub done: bool,
    pub requested_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}
