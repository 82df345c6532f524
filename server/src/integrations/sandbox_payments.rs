//! The sandbox payment provider: an adapter of `app::services::payments::PaymentProvider` served
//! by Kabinet itself under `/sandbox-pay/…` (clearly marked as a test), reporting with
//! HMAC-SHA256 signed webhooks exactly like a real provider would.

use app::ports::PaymentOutcome;
use app::services::crypto::{random_token, sign, verify_signature};
use app::services::payments::{PaymentEvent, PaymentProvider, StartedPayment, WebhookError};
use serde::{Deserialize, Serialize};

/// The sandbox provider; its webhook key is derived from the server secret.
pub struct Sandbox {
    key: Vec<u8>,
    /// Where its refund reports go (signed body, signature): the server delivers them to its own
    /// webhook handler, as a real provider would call the webhook.
    reports: Option<tokio::sync::mpsc::UnboundedSender<(String, String)>>,
}

/// The body of a sandbox webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxReport {
    pub event_id: String,
    pub payment_id: String,
    /// "succeeded" or "declined".
    pub status: String,
    pub amount: i64,
}

pub const SANDBOX_SIGNATURE_HEADER: &str = "x-sandbox-signature";

/// How long a pay link works without the buyer's session.
pub const PAY_LINK_SECONDS: i64 = 30 * 60;

impl Sandbox {
    /// The webhook key is derived from the server secret, so no extra setting is needed.
    pub fn new(secret: &[u8]) -> Self {
        Self { key: sign(secret, b"kabinet sandbox payments webhook").into_bytes(), reports: None }
    }

    /// The same, reporting refunds through `reports`.
    pub fn reporting(secret: &[u8], reports: tokio::sync::mpsc::UnboundedSender<(String, String)>) -> Self {
        Self { reports: Some(reports), ..Self::new(secret) }
    }

    /// The pay page's address, signed, working without a session until `until` (Unix seconds).
    pub fn pay_link(&self, external_id: &str, until: i64) -> String {
        let signature = sign(&self.key, format!("pay-link {external_id} {until}").as_bytes());
        format!("/sandbox-pay/{external_id}?until={until}&sig={signature}")
    }

    /// Whether a pay link's `until` and `sig` are ours and it has not expired.
    pub fn link_valid(&self, external_id: &str, until: Option<i64>, signature: Option<&str>, now: i64) -> bool {
        match (until, signature) {
            (Some(until), Some(sig)) => {
                now <= until && verify_signature(&self.key, format!("pay-link {external_id} {until}").as_bytes(), sig)
            }
            _ => false,
        }
    }

    /// A signed report, as the sandbox's pay page sends it (and as tests forge it).
    pub fn report(&self, payment_id: &str, outcome: PaymentOutcome, amount: i64) -> (String, String) {
        let body = serde_json::to_string(&SandboxReport {
            event_id: random_token()[..24].to_string(),
            payment_id: payment_id.to_string(),
            status: match outcome {
                PaymentOutcome::Succeeded => "succeeded".into(),
                PaymentOutcome::Declined => "declined".into(),
                PaymentOutcome::Refunded => "refunded".into(),
            },
            amount,
        })
        .unwrap_or_default();
        let signature = sign(&self.key, body.as_bytes());
        (body, signature)
    }
}

impl PaymentProvider for Sandbox {
    fn code(&self) -> &'static str {
        "sandbox"
    }

    fn start(&self, _order_id: i64, _amount: i64) -> StartedPayment {
        let external_id = random_token()[..32].to_string();
        let pay_url = self.pay_link(&external_id, chrono::Utc::now().timestamp() + PAY_LINK_SECONDS);
        StartedPayment { pay_url, external_id }
    }

    fn refund(&self, payment_external_id: &str, amount: i64, key: &str) -> Result<String, String> {
        // The same key is the same refund (its id derived from it), so asking again reports again
        // at most, and a report is applied once.
        let external_id =
            format!("rf_{}", &sign(&self.key, format!("refund {payment_external_id} {key}").as_bytes())[..24]);
        let reports = self.reports.as_ref().ok_or("the sandbox reports no refunds here")?;
        let report = self.report(&external_id, PaymentOutcome::Refunded, amount);
        reports.send(report).map_err(|_| "the sandbox's report channel is closed".to_string())?;
        Ok(external_id)
    }

    fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<PaymentEvent, WebhookError> {
        let signature = signature.ok_or(WebhookError::BadSignature)?;
        if !verify_signature(&self.key, body, signature) {
            return Err(WebhookError::BadSignature);
        }
        let report: SandboxReport = serde_json::from_slice(body).map_err(|_| WebhookError::Malformed)?;
        let outcome = match report.status.as_str() {
            "succeeded" => PaymentOutcome::Succeeded,
            "declined" => PaymentOutcome::Declined,
            "refunded" => PaymentOutcome::Refunded,
            _ => return Err(WebhookError::Malformed),
        };
        if report.event_id.is_empty() || report.event_id.len() > 100 || report.amount <= 0 {
            return Err(WebhookError::Malformed);
        }
        Ok(PaymentEvent { event_id: report.event_id, external_id: report.payment_id, outcome, amount: report.amount })
    }
}
