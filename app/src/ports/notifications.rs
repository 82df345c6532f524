//! Notifications area, storage port: messages recorded (in the same transaction as what caused
//! them) for delivery by e-mail or SMS.

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
