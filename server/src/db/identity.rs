//! Identity area, the sqlx implementation of `IdentityStore`: users, sessions, throttling,
//! one-time password links, one body for both engines.

use app::model::{CurrentUser, OrganisationSummary, SessionInfo, UserSummary};
use app::ports::{
    Actor, IdentityStore, NewSession, NewUser, Outgoing, PasswordToken, ProfileChange, StoreError, StoreResult,
    TokenPurpose, UserRecord,
};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use domain::{Locale, LoginId, OrgKind, Role, ThrottleState};
use sqlx::AssertSqlSafe;

use super::sql::*;
use super::{SqlStore, audit, on_db, outbox};

// Dynamic SQL below is only ever this constant plus a constant WHERE clause (AssertSqlSafe).
const USER_COLUMNS: &str = "SELECT u.id, u.organisation_id, u.name, u.email, u.phone, u.role, o.name AS organisation, o.kind AS org_kind, \
     r.name AS region, r.id AS region_id, p.name AS retail_point, u.locale, u.password_hash, u.active \
     FROM users u JOIN organisations o ON o.id = u.organisation_id \
     LEFT JOIN regions r ON r.id = COALESCE(u.region_id, o.region_id) \
     LEFT JOIN retail_points p ON p.id = u.retail_point_id";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    organisation_id: i64,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    role: String,
    organisation: String,
    org_kind: String,
    region: Option<String>,
    region_id: Option<i64>,
    retail_point: Option<String>,
    locale: Option<String>,
    password_hash: Option<String>,
    active: bool,
}

impl UserRow {
    fn into_record(self) -> StoreResult<UserRecord> {
        let role = Role::parse(&self.role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {}", self.role)))?;
        let org_kind = OrgKind::parse(&self.org_kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown kind {}", self.org_kind)))?;
        Ok(UserRecord {
            user: CurrentUser {
                id: self.id,
                organisation_id: self.organisation_id,
                name: self.name,
                email: self.email,
                phone: self.phone,
                role,
                organisation: self.organisation,
                org_kind,
                region: self.region,
                region_id: self.region_id,
                retail_point: self.retail_point,
                locale: self.locale.as_deref().and_then(Locale::parse).unwrap_or_default(),
                unread: 0,
            },
            password_hash: self.password_hash,
            active: self.active,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: i64,
    last_seen_at: DateTime<Utc>,
    #[sqlx(flatten)]
    user: UserRow,
}

#[derive(sqlx::FromRow)]
struct ThrottleRow {
    failures: i64,
    last_failure: Option<DateTime<Utc>>,
    locked_until: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct SessionListRow {
    id: i64,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    ip: Option<String>,
    user_agent: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UserListRow {
    id: i64,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    role: String,
    organisation: String,
    active: bool,
    has_password: bool,
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct ContactsRow {
    name: String,
    email: Option<String>,
    phone: Option<String>,
}

macro_rules! insert_token {
    ($tx:expr, $user_id:expr, $token:expr, $actor:expr) => {
        sqlx::query(
            "INSERT INTO password_tokens (token_hash, user_id, purpose, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&$token.token_hash)
        .bind($user_id)
        .bind($token.purpose.code())
        .bind($actor.user_id)
        .bind($token.now)
        .bind($token.expires_at)
        .execute(&mut *$tx)
        .await
        .map_err(other)?
    };
}

#[async_trait]
impl IdentityStore for SqlStore {
    async fn find_user_by_login(&self, login: &LoginId) -> StoreResult<Option<UserRecord>> {
        let sql = match login {
            LoginId::Email(_) => format!("{USER_COLUMNS} WHERE u.email = $1"),
            LoginId::Phone(_) => format!("{USER_COLUMNS} WHERE u.phone = $1"),
        };
        let row: Option<UserRow> = on_db!(&self.db, pool => sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(login.as_str()).fetch_optional(pool).await.map_err(other)?);
        row.map(UserRow::into_record).transpose()
    }

    async fn find_user(&self, user_id: i64) -> StoreResult<Option<UserRecord>> {
        let sql = format!("{USER_COLUMNS} WHERE u.id = $1");
        let row: Option<UserRow> = on_db!(&self.db, pool => sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(user_id).fetch_optional(pool).await.map_err(other)?);
        row.map(UserRow::into_record).transpose()
    }

    async fn throttle_get(&self, key: &str) -> StoreResult<ThrottleState> {
        let row: Option<ThrottleRow> = on_db!(&self.db, pool => sqlx::query_as(
            "SELECT failures, last_failure, locked_until FROM sign_in_throttle WHERE key = $1")
            .bind(key).fetch_optional(pool).await.map_err(other)?);
        Ok(row
            .map(|r| ThrottleState {
                failures: u32::try_from(r.failures).unwrap_or(u32::MAX),
                last_failure: r.last_failure,
                locked_until: r.locked_until,
            })
            .unwrap_or_default())
    }

    async fn throttle_put(&self, key: &str, state: &ThrottleState) -> StoreResult<()> {
        on_db!(&self.db, pool => sqlx::query(
            "INSERT INTO sign_in_throttle (key, failures, last_failure, locked_until) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure, \
             locked_until = excluded.locked_until")
            .bind(key).bind(i64::from(state.failures)).bind(state.last_failure).bind(state.locked_until)
            .execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn throttle_clear(&self, key: &str) -> StoreResult<()> {
        on_db!(&self.db, pool => sqlx::query("DELETE FROM sign_in_throttle WHERE key = $1")
            .bind(key).execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn put_phone_code(
        &self,
        phone: &str,
        code_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_db!(&self.db, pool => sqlx::query(
            "INSERT INTO phone_codes (phone, code_hash, created_at, expires_at, wrong_tries) VALUES ($1, $2, $3, $4, 0) \
             ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at, \
             expires_at = excluded.expires_at, wrong_tries = 0")
            .bind(phone).bind(code_hash).bind(now).bind(expires_at)
            .execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn use_phone_code(
        &self,
        phone: &str,
        code_hash: &str,
        now: DateTime<Utc>,
        max_wrong: u32,
    ) -> StoreResult<bool> {
        let max_wrong = i64::from(max_wrong);
        on_db!(&self.db, pool => {
            // One statement decides, so two requests with the same code cannot both succeed.
            let used = sqlx::query(
                "DELETE FROM phone_codes WHERE phone = $1 AND code_hash = $2 AND expires_at > $3 AND wrong_tries < $4")
                .bind(phone).bind(code_hash).bind(now).bind(max_wrong)
                .execute(pool).await.map_err(other)?.rows_affected() == 1;
            if !used {
                sqlx::query("UPDATE phone_codes SET wrong_tries = wrong_tries + 1 WHERE phone = $1")
                    .bind(phone).execute(pool).await.map_err(other)?;
                sqlx::query("DELETE FROM phone_codes WHERE phone = $1 AND (wrong_tries >= $2 OR expires_at <= $3)")
                    .bind(phone).bind(max_wrong).bind(now).execute(pool).await.map_err(other)?;
            }
            Ok(used)
        })
    }

    async fn create_session(&self, s: &NewSession, replaces: Option<&str>, actor: &Actor) -> StoreResult<()> {
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            if let Some(old) = replaces {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(old).execute(&mut *tx).await.map_err(other)?;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent, last_seen_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $3) RETURNING id")
                .bind(&s.token_hash).bind(s.user_id).bind(s.now).bind(s.expires_at).bind(&s.ip).bind(&s.user_agent)
                .fetch_one(&mut *tx).await.map_err(other)?;
            audit!(tx, actor, s.now, "session.sign_in", "session", Some(id), None::<String>, json(&s.ip));
            tx.commit().await.map_err(other)
        })
    }

    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<(i64, CurrentUser)>> {
        let sql = format!(
            "SELECT s.id AS session_id, s.last_seen_at, q.* FROM sessions s JOIN ({USER_COLUMNS}) q ON q.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND q.active"
        );
        let row: Option<SessionRow> = on_db!(&self.db, pool => sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(token_hash).bind(now)
            .fetch_optional(pool).await.map_err(other)?);
        let Some(row) = row else { return Ok(None) };
        // Touch at most every five minutes: a write per request would serialise SQLite for nothing.
        if now - row.last_seen_at > Duration::minutes(5) {
            on_db!(&self.db, pool => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                .bind(now).bind(row.session_id).execute(pool).await.map(|_| ()).map_err(other)?);
        }
        let session_id = row.session_id;
        Ok(Some((session_id, row.user.into_record()?.user)))
    }

    async fn delete_session(&self, token_hash: &str, actor: &Actor) -> StoreResult<()> {
        let now = Utc::now();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let id: Option<i64> = sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING id")
                .bind(token_hash).fetch_optional(&mut *tx).await.map_err(other)?;
            if id.is_some() {
                audit!(tx, actor, now, "session.sign_out", "session", id, None::<String>, None::<String>);
            }
            tx.commit().await.map_err(other)
        })
    }

    async fn list_sessions(&self, user_id: i64, now: DateTime<Utc>) -> StoreResult<Vec<SessionInfo>> {
        let rows: Vec<SessionListRow> = on_db!(&self.db, pool => sqlx::query_as(
            "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions \
             WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, id DESC")
            .bind(user_id).bind(now).fetch_all(pool).await.map_err(other)?);
        Ok(rows
            .into_iter()
            .map(|r| SessionInfo {
                id: r.id,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
                ip: r.ip,
                user_agent: r.user_agent,
                current: false,
            })
            .collect())
    }

    async fn revoke_session(&self, user_id: i64, session_id: i64, actor: &Actor) -> StoreResult<()> {
        let now = Utc::now();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
                .bind(session_id).bind(user_id).execute(&mut *tx).await.map_err(other)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            audit!(tx, actor, now, "session.revoke", "session", Some(session_id), None::<String>, None::<String>);
            tx.commit().await.map_err(other)
        })
    }

    async fn revoke_sessions(&self, user_id: i64, keep: Option<&str>, actor: &Actor) -> StoreResult<u64> {
        let now = Utc::now();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id).bind(keep.unwrap_or("")).execute(&mut *tx).await.map_err(other)?;
            let n = done.rows_affected();
            audit!(tx, actor, now, "session.revoke_all", "user", Some(user_id), None::<String>, json(&n));
            tx.commit().await.map_err(other)?;
            Ok(n)
        })
    }

    async fn create_retail_buyer(
        &self,
        name: &str,
        phone: &str,
        password_hash: &str,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let org: i64 = sqlx::query_scalar(
                "INSERT INTO organisations (kind, name, created_at) VALUES ('person', $1, $2) RETURNING id")
                .bind(name).bind(now).fetch_one(&mut *tx).await.map_err(other)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (organisation_id, role, name, phone, password_hash, locale, created_at, password_changed_at) \
                 VALUES ($1, 'retail_buyer', $2, $3, $4, $5, $6, $6) RETURNING id")
                .bind(org).bind(name).bind(phone).bind(password_hash).bind(locale.code()).bind(now)
                .fetch_one(&mut *tx).await.map_err(other)?;
            let actor = Actor { user_id: Some(id), role: Some(Role::RetailBuyer), request_id: None };
            audit!(tx, actor, now, "user.register", "user", Some(id), None::<String>,
                json(&ContactsRow { name: name.into(), email: None, phone: Some(phone.into()) }));
            tx.commit().await.map_err(other)?;
            Ok(id)
        })
    }

    async fn update_profile(&self, user_id: i64, change: &ProfileChange, actor: &Actor) -> StoreResult<()> {
        let now = Utc::now();
        let after =
            json(&ContactsRow { name: change.name.clone(), email: change.email.clone(), phone: change.phone.clone() });
        // It reads before it writes: on SQLite the write lock is taken up front, or a write made by
        // another connection in between fails the upgrade (SQLITE_BUSY, seen as a 500 under load).
        let begin = self.begin_write();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let before: Option<ContactsRow> = sqlx::query_as("SELECT name, email, phone FROM users WHERE id = $1")
                .bind(user_id).fetch_optional(&mut *tx).await.map_err(other)?;
            let before = before.ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE users SET name = $1, email = $2, phone = $3 WHERE id = $4")
                .bind(&change.name).bind(&change.email).bind(&change.phone).bind(user_id)
                .execute(&mut *tx).await.map_err(other)?;
            audit!(tx, actor, now, "user.update_profile", "user", Some(user_id), json(&before), after);
            tx.commit().await.map_err(other)
        })
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let done = sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                .bind(password_hash).bind(now).bind(user_id).execute(&mut *tx).await.map_err(other)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id).bind(keep_session.unwrap_or("")).execute(&mut *tx).await.map_err(other)?;
            audit!(tx, actor, now, "user.password_change", "user", Some(user_id), None::<String>, None::<String>);
            tx.commit().await.map_err(other)
        })
    }

    async fn set_locale(&self, user_id: i64, locale: Locale) -> StoreResult<()> {
        on_db!(&self.db, pool => sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
            .bind(locale.code()).bind(user_id).execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn list_users(&self) -> StoreResult<Vec<UserSummary>> {
        let rows: Vec<UserListRow> = on_db!(&self.db, pool => sqlx::query_as(
            "SELECT u.id, u.name, u.email, u.phone, u.role, o.name AS organisation, u.active, \
             (u.password_hash IS NOT NULL) AS has_password \
             FROM users u JOIN organisations o ON o.id = u.organisation_id ORDER BY o.name, u.name, u.id")
            .fetch_all(pool).await.map_err(other)?);
        rows.into_iter()
            .map(|r| {
                Ok(UserSummary {
                    role: Role::parse(&r.role)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown role {}", r.role)))?,
                    id: r.id,
                    name: r.name,
                    email: r.email,
                    phone: r.phone,
                    organisation: r.organisation,
                    active: r.active,
                    has_password: r.has_password,
                })
            })
            .collect()
    }

    async fn list_organisations(&self) -> StoreResult<Vec<OrganisationSummary>> {
        let rows: Vec<(i64, String, String)> = on_db!(&self.db, pool => sqlx::query_as(
            "SELECT id, name, kind FROM organisations WHERE kind <> 'person' ORDER BY kind, name")
            .fetch_all(pool).await.map_err(other)?);
        Ok(rows
            .into_iter()
            .filter_map(|(id, name, kind)| OrgKind::parse(&kind).map(|kind| OrganisationSummary { id, name, kind }))
            .collect())
    }

    async fn organisation_kind(&self, organisation_id: i64) -> StoreResult<Option<OrgKind>> {
        let kind: Option<String> = on_db!(&self.db, pool => sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
            .bind(organisation_id).fetch_optional(pool).await.map_err(other)?);
        Ok(kind.as_deref().and_then(OrgKind::parse))
    }

    async fn create_user(
        &self,
        user: &NewUser,
        token: &PasswordToken,
        message: &Outgoing,
        actor: &Actor,
    ) -> StoreResult<i64> {
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (organisation_id, role, name, email, phone, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(user.organisation_id).bind(user.role.code()).bind(&user.name).bind(&user.email).bind(&user.phone)
                .bind(user.now).fetch_one(&mut *tx).await.map_err(other)?;
            insert_token!(tx, id, token, actor);
            outbox!(tx, message, user.now);
            audit!(tx, actor, user.now, "user.create", "user", Some(id), None::<String>,
                json(&ContactsRow { name: user.name.clone(), email: user.email.clone(), phone: user.phone.clone() }));
            tx.commit().await.map_err(other)?;
            Ok(id)
        })
    }

    async fn issue_password_token(
        &self,
        user_id: i64,
        token: &PasswordToken,
        message: &Outgoing,
        actor: &Actor,
    ) -> StoreResult<()> {
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            // Earlier links stop working: only the newest one is valid.
            sqlx::query("UPDATE password_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
                .bind(token.now).bind(user_id).execute(&mut *tx).await.map_err(other)?;
            insert_token!(tx, user_id, token, actor);
            outbox!(tx, message, token.now);
            // An invitation (a guest who became a buyer) and a reset by the administrator are told apart.
            let action = match token.purpose {
                TokenPurpose::Invite => "user.invite",
                TokenPurpose::Reset => "user.password_reset",
            };
            audit!(tx, actor, token.now, action, "user", Some(user_id), None::<String>, json(&message.recipient));
            tx.commit().await.map_err(other)
        })
    }

    async fn password_token_live(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let found: Option<i64> = on_db!(&self.db, pool => sqlx::query_scalar(
            "SELECT user_id FROM password_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(token_hash).bind(now).fetch_optional(pool).await.map_err(other)?);
        Ok(found.is_some())
    }

    async fn redeem_password_token(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let user_id: Option<i64> = sqlx::query_scalar(
                "UPDATE password_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                 RETURNING user_id")
                .bind(token_hash).bind(now).fetch_optional(&mut *tx).await.map_err(other)?;
            let user_id = user_id.ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                .bind(password_hash).bind(now).bind(user_id).execute(&mut *tx).await.map_err(other)?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await.map_err(other)?;
            let actor = Actor { user_id: Some(user_id), role: None, request_id: None };
            audit!(tx, actor, now, "user.password_set", "user", Some(user_id), None::<String>, None::<String>);
            tx.commit().await.map_err(other)?;
            Ok(user_id)
        })
    }
}
