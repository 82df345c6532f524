//! Payments area, storage port: payment attempts and the provider's reports about them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;

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
    pub status: domain::payments::AttemptStatus,
}

#[async_trait]
pub trait PaymentStore: Send + Sync + 'static {
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
}
