//! Payments area, wire types: how an order is paid and where its payment stands.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Online,
    OnPickup,
    /// Against an invoice, on credit (wholesale).
    Invoice,
}

impl PaymentMethod {
    pub fn code(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::OnPickup => "on_pickup",
            Self::Invoice => "invoice",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Online, Self::OnPickup, Self::Invoice].into_iter().find(|m| m.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Unpaid,
    Pending,
    Paid,
    Declined,
}

impl PaymentStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Unpaid => "unpaid",
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Unpaid, Self::Pending, Self::Paid, Self::Declined].into_iter().find(|m| m.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i64,
    pub provider: String,
    pub amount: i64,
    pub status: String,
    pub created_at: DateTime<Utc>,
}
