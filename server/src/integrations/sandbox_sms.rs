//! The sandbox SMS gateway: an adapter of `app::ports::SmsGateway` that sends nothing. Every text
//! it is given is recorded in the outbox as delivered (recipient, text, time), where the team and
//! the tests can read what a real gateway would have sent; pages show confirmation codes instead
//! of waiting for an SMS that will not come.

use std::sync::Arc;

use app::ports::{Channel, NotificationStore, Outgoing, SmsError, SmsGateway};

pub struct SandboxSms {
    store: Arc<dyn NotificationStore>,
}

/// The subject under which the sandbox records its messages.
pub const SANDBOX_SUBJECT: &str = "SMS (sandbox: not sent)";

impl SandboxSms {
    pub fn new(store: Arc<dyn NotificationStore>) -> Self {
        Self { store }
    }
}

#[async_trait::async_trait]
impl SmsGateway for SandboxSms {
    fn is_sandbox(&self) -> bool {
        true
    }

    async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError> {
        let message = Outgoing {
            channel: Channel::Sms,
            recipient: phone.to_string(),
            subject: SANDBOX_SUBJECT.to_string(),
            body: text.to_string(),
        };
        self.store.record_sent(&message, chrono::Utc::now()).await.map_err(|e| SmsError::Unavailable(e.to_string()))
    }
}
