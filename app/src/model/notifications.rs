//! Notifications area, wire types: the cabinet's notifications, the person's channel choices, and
//! the administrator's templates, switches and delivery queue.

use chrono::{DateTime, Utc};
use domain::Locale;
use domain::notifications::{Channel, Notice, Switches, Template};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub notice: Notice,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// One page of the person's notifications, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationList {
    pub items: Vec<NotificationItem>,
    pub unread: i64,
    /// Pass as `before` for the next (older) page; `None` on the last.
    pub next_before: Option<i64>,
}

/// A notice in the person's preferences: which channels they get it by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preference {
    pub notice: Notice,
    /// Whether the administrator sends this notice by e-mail / SMS at all.
    pub switched_on: Switches,
    /// Whether the person wants it by e-mail / SMS.
    pub wanted: Switches,
}

/// A notice as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub notice: Notice,
    pub switches: Switches,
    pub security: bool,
    /// The languages whose template was edited.
    pub customised: Vec<Locale>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeOverview {
    pub rows: Vec<NoticeRow>,
    /// Whether e-mails and SMS leave at all (a mail server, an SMS gateway configured).
    pub smtp: bool,
    pub sms: bool,
    pub sms_sandbox: bool,
    pub queued: i64,
    pub dead: i64,
}

/// One template opened for editing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateEdit {
    pub notice: Notice,
    pub locale: Locale,
    pub template: Template,
    pub customised: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub notice: Option<Notice>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub dead_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub via: Option<String>,
}

/// Which messages of the delivery queue are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxView {
    #[default]
    Queued,
    Sent,
    Dead,
}

impl OutboxView {
    pub const ALL: [Self; 3] = [Self::Queued, Self::Sent, Self::Dead];

    pub fn code(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Dead => "dead",
        }
    }

    pub fn parse(code: &str) -> Self {
        Self::ALL.into_iter().find(|v| v.code() == code).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub view: OutboxView,
    pub items: Vec<OutboxItem>,
    /// Messages in each view, in [`OutboxView::ALL`]'s order.
    pub counts: [i64; 3],
    pub next_before: Option<i64>,
}
