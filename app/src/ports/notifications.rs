//! Notifications area, ports: messages recorded (in the same transaction as what caused them)
//! for delivery by e-mail or SMS, and the SMS gateway that sends what cannot wait (codes).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }
}

/// A message recorded for delivery by e-mail or SMS.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Records a message that nothing else in the database depends on (a security notice).
    async fn queue_message(&self, message: &Outgoing, now: DateTime<Utc>) -> StoreResult<()>;

    /// Records a message that was delivered at `now` by other means (a gateway, at once).
    async fn record_sent(&self, message: &Outgoing, now: DateTime<Utc>) -> StoreResult<()>;
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

/// Sends an SMS now. A real provider is one implementation; the sandbox (demo and tests) only
/// records what it would have sent and lets the page show it.
#[async_trait]
pub trait SmsGateway: Send + Sync {
    /// Whether nothing really leaves (the sandbox): pages may then show what was "sent".
    fn is_sandbox(&self) -> bool;

    async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError>;
}
