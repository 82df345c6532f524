//! Notifications area: what people are told about, by which channels, and with which words.
//!
//! Each [`Notice`] is one kind of message to one audience (the buyer hears "your order is
//! accepted", the region's staff "a new order"): it names the placeholders its templates may use,
//! whether a person may turn it off (security messages cannot be), and the channels it goes by
//! unless the administrator switches them. Every notice is also shown in the cabinet (the bell);
//! e-mail and SMS are the channels that can be switched.

use serde::{Deserialize, Serialize};

pub mod templates;

pub use templates::{Template, TemplateError, TemplateField, render};

coded! {
    /// The channels besides the cabinet itself.
    Channel {
        Email => "email",
        Sms => "sms",
    }
}

coded! {
    /// One kind of message to one audience.
    Notice {
        /// To the buyer: their order is placed.
        OrderPlaced => "order_placed",
        /// To the region's sales staff (or the client's manager): a new order to work on.
        OrderNew => "order_new",
        /// To the buyer: their order moved to another status.
        OrderStatus => "order_status",
        /// To the region's heads: an order over the client's credit limit waits for their decision.
        ApprovalNeeded => "approval_needed",
        /// To the buyer and the client's manager: a head approved the order over the credit limit.
        OrderApproved => "order_approved",
        /// To the buyer and the client's manager: a head turned the order down (with the reason).
        OrderRejected => "order_rejected",
        /// To a sales manager: a head made them the responsible manager of a client.
        ClientAssigned => "client_assigned",
        /// To the buyer: their payment arrived.
        PaymentReceived => "payment_received",
        /// To the client's manager (or the region's sales staff): a client's payment arrived.
        PaymentReceivedStaff => "payment_received_staff",
        /// To the buyer: the money of their cancelled order is back with them (the provider's report).
        RefundDone => "refund_done",
        /// To the buyer: an invoice is due today.
        PaymentDue => "payment_due",
        /// To the buyer: an invoice is past its due day.
        PaymentOverdue => "payment_overdue",
        /// To the client's manager (or the region's sales staff): a client's invoice is overdue.
        PaymentOverdueStaff => "payment_overdue_staff",
        /// To the buyer: part of their order has left (a shipment that does not finish it).
        OrderShipment => "order_shipment",
        /// To the buyer: the seller wrote about their order.
        OrderComment => "order_comment",
        /// To the client's manager (or the region's sales staff): the client wrote about an order.
        OrderCommentStaff => "order_comment_staff",
        /// To a new person: the link to choose a password.
        Invitation => "invitation",
        /// To a person: the link to choose a new password.
        PasswordReset => "password_reset",
        /// To a person: repeated failed sign-ins on their account.
        FailedSignIns => "failed_sign_ins",
    }
}

/// What each notice's templates may say, with an example value for the administrator's preview.
const ORDER: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("total", "12 480,00 ₽"),
    ("buyer", "ООО «СтройМонтаж»"),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const STATUS: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("total", "12 480,00 ₽"),
    ("status", "Отгружен"),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const APPROVAL: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("total", "12 480,00 ₽"),
    ("buyer", "ООО «СтройМонтаж»"),
    ("amount", "2 480,00 ₽"),
    ("link", "https://kabinet.example.ru/staff/orders/1024"),
];
const REJECTION: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("total", "12 480,00 ₽"),
    ("buyer", "ООО «СтройМонтаж»"),
    ("reason", "Сначала погасите просроченный счёт."),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const PAYMENT: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("amount", "12 480,00 ₽"),
    ("buyer", "ООО «СтройМонтаж»"),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const REFUND: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("amount", "12 480,00 ₽"),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const DUE: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("invoice", "2026-001024"),
    ("amount", "12 480,00 ₽"),
    ("due", "01.12.2026"),
    ("buyer", "ООО «СтройМонтаж»"),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const SHIPMENT: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("number", "2"),
    ("shipped", "60 %"),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const COMMENT: &[(&str, &str)] = &[
    ("name", "Иван Петров"),
    ("order", "1024"),
    ("buyer", "ООО «СтройМонтаж»"),
    ("author", "Елена Смирнова"),
    ("text", "Заказ соберём завтра к 10:00."),
    ("link", "https://kabinet.example.ru/orders/1024"),
];
const LINK: &[(&str, &str)] =
    &[("name", "Иван Петров"), ("link", "https://kabinet.example.ru/password/Xy7…"), ("valid", "7 дней")];
const SIGN_INS: &[(&str, &str)] =
    &[("name", "Иван Петров"), ("address", "203.0.113.7"), ("link", "https://kabinet.example.ru/profile")];

impl Notice {
    /// The placeholders its templates may use, each with an example value.
    pub fn placeholders(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::OrderPlaced | Self::OrderNew | Self::OrderApproved | Self::ClientAssigned => ORDER,
            Self::ApprovalNeeded => APPROVAL,
            Self::OrderRejected => REJECTION,
            Self::OrderStatus => STATUS,
            Self::PaymentReceived | Self::PaymentReceivedStaff => PAYMENT,
            Self::RefundDone => REFUND,
            Self::PaymentDue | Self::PaymentOverdue | Self::PaymentOverdueStaff => DUE,
            Self::OrderShipment => SHIPMENT,
            Self::OrderComment | Self::OrderCommentStaff => COMMENT,
            Self::Invitation | Self::PasswordReset => LINK,
            Self::FailedSignIns => SIGN_INS,
        }
    }

    /// Security messages reach the person whatever they chose (they cannot turn them off), and
    /// the administrator cannot switch them off either.
    pub fn is_security(self) -> bool {
        matches!(self, Self::Invitation | Self::PasswordReset | Self::FailedSignIns)
    }

    /// Whether the notice goes by this channel when the administrator has not decided otherwise.
    /// SMS costs money: by default only the buyer's confirmation that their order is accepted
    /// (every status change by SMS is the administrator's choice).
    pub fn default_channel(self, channel: Channel) -> bool {
        match channel {
            Channel::Email => true,
            Channel::Sms => matches!(self, Self::OrderPlaced | Self::PasswordReset),
        }
    }
}

/// The administrator's switches for one notice: which channels besides the cabinet it goes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switches {
    pub email: bool,
    pub sms: bool,
}

impl Switches {
    pub fn defaults(notice: Notice) -> Self {
        Self { email: notice.default_channel(Channel::Email), sms: notice.default_channel(Channel::Sms) }
    }

    pub fn allows(self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email,
            Channel::Sms => self.sms,
        }
    }
}

/// How long to wait before delivery attempt `attempt` (1-based) when the ones before failed:
/// 30 s, 1 min, 2 min, … doubling up to an hour.
pub fn retry_delay_seconds(attempt: u32) -> i64 {
    let exponent = attempt.saturating_sub(1).min(7);
    (30i64 << exponent).min(3600)
}

/// After this many failed attempts a message is dead: shown to the administrator, retried only by
/// hand.
pub const MAX_ATTEMPTS: u32 = 6;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn security_notices_cannot_be_turned_off_and_have_links() {
            for notice in Notice::ALL {
                assert_eq!(Notice::parse(notice.code()), Some(*notice));
                let names: Vec<_> = notice.placeholders().iter().map(|(n, _)| *n).collect();
                assert!(names.contains(&"name"), "{notice:?} greets the person");
                assert!(names.contains(&"link"), "{notice:?} links somewhere");
            }
            assert!(Notice::PasswordReset.is_security());
            assert!(!Notice::OrderStatus.is_security());
            assert!(Switches::defaults(Notice::OrderPlaced).sms);
            assert!(!Switches::defaults(Notice::OrderStatus).sms);
            assert!(!Switches::defaults(Notice::OrderNew).sms);
        }
    }

    both! {
        fn retries_back_off_up_to_an_hour() {
            let delays: Vec<_> = (1..=9).map(retry_delay_seconds).collect();
            assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        }
    }
}
