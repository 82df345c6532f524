//! Notifications area, storage port: messages recorded (in the same transaction as what caused
//! them) for delivery by e-mail or SMS.

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
}
