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

/// Where a one-time password link was recorded for delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkRecorded {
    pub user_id: i64,
    pub recipient: String,
}
