//! The sandbox SMS gateway: an adapter of `app::ports::SmsGateway` that sends nothing. What it is
//! given stays in the outbox marked as delivered "via sandbox", where the administrator (the
//! delivery queue page), the team and the tests read what a real gateway would have sent; pages
//! show confirmation codes instead of waiting for an SMS that will not come.

use app::ports::{SmsError, SmsGateway};

pub struct SandboxSms;

#[async_trait::async_trait]
impl SmsGateway for SandboxSms {
    fn is_sandbox(&self) -> bool {
        true
    }

    async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError> {
        tracing::debug!(phone, chars = text.chars().count(), "sandbox SMS: not sent");
        Ok(())
    }
}
