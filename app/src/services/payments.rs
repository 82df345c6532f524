//! Online payment: one interface every provider implements, and the built-in sandbox provider.
//!
//! Flow: checkout creates a payment with the provider and sends the buyer to the provider's pay
//! page; the provider reports the result to `POST /webhooks/payments/<provider>` with a signed
//! body; [`handle_webhook`] verifies the signature, applies the event once (replays change
//! nothing) and moves the payment and the order. A real provider (ЮKassa, CloudPayments…) is added
//! by implementing [`PaymentProvider`]; nothing else changes.

use chrono::Utc;

use super::context::{RequestInfo, ServerState};
use crate::error::AppError;
use crate::ports::PaymentOutcome;

/// A payment the provider has opened: its id there and where to send the buyer.
pub struct StartedPayment {
    pub external_id: String,
    pub pay_url: String,
}

/// What a provider reported, once its signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentEvent {
    pub event_id: String,
    pub external_id: String,
    pub outcome: PaymentOutcome,
    pub amount: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookError {
    /// Missing or wrong signature: 401.
    BadSignature,
    /// The body is not a report this provider sends: 400.
    Malformed,
}

pub trait PaymentProvider: Send + Sync + 'static {
    /// The provider's code in addresses and in the database.
    fn code(&self) -> &'static str;
    /// Opens a payment of `amount` kopecks for the order; the pay page's address is the buyer's
    /// alone (a real provider's is signed by the provider; the sandbox's is signed and expires).
    fn start(&self, order_id: i64, amount: i64) -> StartedPayment;
    /// Checks the signature of a webhook call and reads it.
    fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<PaymentEvent, WebhookError>;
    /// Asks for `amount` kopecks of the payment `payment_external_id` back; the same `key` gives the
    /// same refund (asking again after a crash makes no second one). Answers the refund's id there;
    /// the provider reports the result through the webhook (outcome `Refunded`).
    fn refund(&self, payment_external_id: &str, amount: i64, key: &str) -> Result<String, String>;
}

/// Asks the providers for the refunds not yet asked (after a cancellation, a late payment of a
/// cancelled order, and by the housekeeping, so a failure or a restart in between loses none).
/// Answers how many were asked.
pub async fn request_refunds(state: &ServerState) -> Result<usize, crate::ports::StoreError> {
    let Some(provider) = &state.payments else { return Ok(0) };
    let mut asked = 0;
    for r in state.store.refunds_to_request(50).await? {
        if r.provider != provider.code() {
            continue;
        }
        match provider.refund(&r.payment_external_id, r.amount, &r.key) {
            Ok(external_id) => {
                state.store.refund_requested(r.id, &external_id, Utc::now()).await?;
                asked += 1;
            }
            Err(e) => {
                tracing::warn!(refund = r.id, error = %e, "the payment provider did not take a refund; asked again later")
            }
        }
    }
    Ok(asked)
}

/// Whether online payment can be offered (a provider is configured).
pub fn online(state: &ServerState) -> bool {
    state.payments.is_some()
}

/// Opens an online payment for a placed order (cancelling the open attempt, if any); answers the
/// page to send the buyer to.
pub async fn start(state: &ServerState, info: &RequestInfo, order_id: i64, amount: i64) -> Result<String, AppError> {
    let Some(provider) = &state.payments else {
        return Err(AppError::Conflict(crate::error::FieldError::new("payment", "payment.unavailable")));
    };
    let started = provider.start(order_id, amount);
    state
        .store
        .create_payment(order_id, provider.code(), &started.external_id, amount, Utc::now())
        .await
        .map_err(|e| info.store_error(e))?;
    Ok(started.pay_url)
}

/// What a webhook call did, for the HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookResult {
    Applied,
    /// Seen before (a replay) or about a payment already settled: nothing changed.
    AlreadyApplied,
    BadSignature,
    Malformed,
    UnknownPayment,
    /// The reported amount is not the payment's.
    AmountMismatch,
    /// Our side failed (logged): the provider should try again later.
    Failed,
}

pub async fn handle_webhook(
    state: &ServerState,
    provider: &str,
    signature: Option<&str>,
    body: &[u8],
) -> WebhookResult {
    let Some(p) = state.payments.as_ref().filter(|p| p.code() == provider) else {
        return WebhookResult::UnknownPayment;
    };
    let event = match p.verify(signature, body) {
        Ok(e) => e,
        Err(WebhookError::BadSignature) => return WebhookResult::BadSignature,
        Err(WebhookError::Malformed) => return WebhookResult::Malformed,
    };
    let now = Utc::now();
    let applied = match event.outcome {
        PaymentOutcome::Refunded => {
            state.store.apply_refund_event(p.code(), &event.event_id, &event.external_id, event.amount, now).await
        }
        outcome => {
            state
                .store
                .apply_payment_event(p.code(), &event.event_id, &event.external_id, outcome, event.amount, now)
                .await
        }
    };
    match applied {
        Ok(true) => {
            // A payment of an order cancelled meanwhile is refunded at once.
            if event.outcome == PaymentOutcome::Succeeded
                && let Err(e) = request_refunds(state).await
            {
                tracing::error!(error = %e, "asking for refunds failed; the housekeeping asks again");
            }
            WebhookResult::Applied
        }
        Ok(false) => WebhookResult::AlreadyApplied,
        Err(crate::ports::StoreError::NotFound) => WebhookResult::UnknownPayment,
        Err(crate::ports::StoreError::Conflict(_)) => WebhookResult::AmountMismatch,
        Err(e) => {
            tracing::error!(error = %e, "payment webhook failed");
            WebhookResult::Failed
        }
    }
}
