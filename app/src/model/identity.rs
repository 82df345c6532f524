//! Identity area, wire types: the signed-in person, their devices, users and organisations as the
//! administrator sees them.

use chrono::{DateTime, Utc};
use domain::{Locale, OrgKind, Role};
use serde::{Deserialize, Serialize};

/// The signed-in person as the interface needs to see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub organisation: String,
    pub org_kind: OrgKind,
    pub region: Option<String>,
    /// The region the person works in or their organisation belongs to.
    pub region_id: Option<i64>,
    pub retail_point: Option<String>,
    pub locale: Locale,
    /// Notifications not read yet (filled for the page's frame: the bell).
    #[serde(default)]
    pub unread: i64,
}

/// One signed-in device of the current user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
}

/// A user as the administrator sees them (no secrets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub organisation: String,
    pub active: bool,
    pub has_password: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationSummary {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
}

/// How long a confirmation code sent by SMS works, minutes.
pub const CODE_MINUTES: i64 = 10;

/// A confirmation code went to this number by SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    /// The number as it was understood (E.164), to show the person where to look.
    pub phone: String,
    /// How long the code works.
    pub minutes: i64,
    /// With the sandbox gateway (demo, tests) nothing was sent: the code itself, shown on the page.
    pub sandbox_code: Option<String>,
}

/// Where a one-time password link was recorded for delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkRecorded {
    pub user_id: i64,
    pub recipient: String,
}
