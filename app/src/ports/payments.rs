//! Payments area, storage port: payment attempts and the provider's reports about them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcome {
    Succeeded,
    Declined,
    /// A refund (the report's id is the refund's at the provider) was made.
    Refunded,
}

/// A refund to ask the provider for: the payment it returns money of, how much, and the key that
/// makes asking twice one refund there.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub id: i64,
    pub provider: String,
    pub payment_external_id: String,
    pub amount: i64,
    pub key: String,
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

    /// Refunds not yet asked of their provider (oldest first, at most `limit`).
    async fn refunds_to_request(&self, limit: i64) -> StoreResult<Vec<RefundRequest>>;

    /// The provider took the refund under its id `external_id`.
    async fn refund_requested(&self, id: i64, external_id: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// Applies a provider's report that a refund was made, once (a replay answers `false`);
    /// `NotFound` for an unknown refund, `Conflict` for another amount.
    async fn apply_refund_event(
        &self,
        provider: &str,
        event_id: &str,
        external_id: &str,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
}
