//! Identity area, storage port: people, sessions, sign-in throttling, one-time password links.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Locale, LoginId, OrgKind, Role, ThrottleState};

use super::{Actor, StoreResult};
use crate::model::{CurrentUser, OrganisationSummary, SessionInfo, UserSummary};
use crate::ports::notifications::Outgoing;

/// A user with what is needed to check a password.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub user: CurrentUser,
    pub password_hash: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: i64,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub organisation_id: i64,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Invite,
    Reset,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            Self::Invite => "invite",
            Self::Reset => "reset",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PasswordToken {
    pub token_hash: String,
    pub purpose: TokenPurpose,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ProfileChange {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[async_trait]
pub trait IdentityStore: Send + Sync + 'static {
    async fn find_user_by_login(&self, login: &LoginId) -> StoreResult<Option<UserRecord>>;

    async fn find_user(&self, user_id: i64) -> StoreResult<Option<UserRecord>>;

    async fn throttle_get(&self, key: &str) -> StoreResult<ThrottleState>;

    async fn throttle_put(&self, key: &str, state: &ThrottleState) -> StoreResult<()>;

    async fn throttle_clear(&self, key: &str) -> StoreResult<()>;

    /// Keeps the live confirmation code of a phone number, replacing an earlier one.
    async fn put_phone_code(
        &self,
        phone: &str,
        code_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Uses up the live code of this number if it is `code_hash` (true), atomically, so one code
    /// confirms one thing. A wrong code counts against the live one, which dies at `max_wrong`
    /// wrong tries or at its expiry.
    async fn use_phone_code(
        &self,
        phone: &str,
        code_hash: &str,
        now: DateTime<Utc>,
        max_wrong: u32,
    ) -> StoreResult<bool>;

    /// Creates a session, removing the one it replaces (rotation on sign-in).
    async fn create_session(&self, session: &NewSession, replaces: Option<&str>, actor: &Actor) -> StoreResult<()>;

    /// The live session with this token hash and its user; refreshes `last_seen_at` now and then.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<(i64, CurrentUser)>>;

    async fn delete_session(&self, token_hash: &str, actor: &Actor) -> StoreResult<()>;

    async fn list_sessions(&self, user_id: i64, now: DateTime<Utc>) -> StoreResult<Vec<SessionInfo>>;

    /// Revokes one session of this user; `NotFound` when the user has no such session.
    async fn revoke_session(&self, user_id: i64, session_id: i64, actor: &Actor) -> StoreResult<()>;

    /// Revokes every session of the user but `keep` (a token hash).
    async fn revoke_sessions(&self, user_id: i64, keep: Option<&str>, actor: &Actor) -> StoreResult<u64>;

    /// Registers a retail buyer with an organisation of their own.
    async fn create_retail_buyer(
        &self,
        name: &str,
        phone: &str,
        password_hash: &str,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;

    async fn update_profile(&self, user_id: i64, change: &ProfileChange, actor: &Actor) -> StoreResult<()>;

    /// Replaces the password and revokes every other session.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()>;

    async fn set_locale(&self, user_id: i64, locale: Locale) -> StoreResult<()>;

    async fn list_users(&self) -> StoreResult<Vec<UserSummary>>;

    async fn list_organisations(&self) -> StoreResult<Vec<OrganisationSummary>>;

    async fn organisation_kind(&self, organisation_id: i64) -> StoreResult<Option<OrgKind>>;

    /// Creates a user without a password plus the invitation to set one, in one transaction.
    async fn create_user(
        &self,
        user: &NewUser,
        token: &PasswordToken,
        message: &Outgoing,
        actor: &Actor,
    ) -> StoreResult<i64>;

    async fn issue_password_token(
        &self,
        user_id: i64,
        token: &PasswordToken,
        message: &Outgoing,
        actor: &Actor,
    ) -> StoreResult<()>;

    /// Whether a token is live (known, unused, not expired), without using it.
    async fn password_token_live(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Uses a live token once: sets the password, marks the token used, revokes all sessions.
    /// `NotFound` when the token is unknown, used or expired.
    async fn redeem_password_token(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
}
