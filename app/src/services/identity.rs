//! Identity area, use cases: signing in and out, registration, passwords, one-time password
//! links, profiles and user administration.

use chrono::{Duration, Utc};
use domain::{Email, LoginId, Password, PersonName, Phone, Role, Throttle, ThrottlePolicy};

use super::context::{Caller, RequestInfo, ServerState};
use super::crypto::{hash_password_async, random_token, token_hash, verify_password_async};
use crate::error::{AppError, FieldError};
use crate::model::{CurrentUser, LinkRecorded};
use crate::ports::{Channel, NewSession, NewUser, Outgoing, PasswordToken, ProfileChange, TokenPurpose};

/// A new session: the raw token goes into the cookie, only its hash into the database.
pub struct SignedIn {
    pub token: String,
    pub user: CurrentUser,
}

/// Where a role lands after signing in.
pub fn home_path(_role: Role) -> &'static str {
    "/home"
}

fn login_key(login: &LoginId) -> String {
    format!("login:{}", login.as_str())
}

fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

pub async fn sign_in(
    state: &ServerState,
    info: &RequestInfo,
    identifier: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    let login = LoginId::parse(identifier)
        .map_err(|e| AppError::Validation(vec![FieldError::from_domain("identifier", &e)]))?;
    if password.is_empty() {
        return Err(AppError::field("password", "password.empty"));
    }
    let store = &state.store;
    let now = Utc::now();
    let (account_key, ip_key) = (login_key(&login), address_key(&info.ip));
    let account = store.throttle_get(&account_key).await.map_err(|e| info.store_error(e))?;
    let address = store.throttle_get(&ip_key).await.map_err(|e| info.store_error(e))?;
    for (policy, st) in [(ThrottlePolicy::ACCOUNT, &account), (ThrottlePolicy::ADDRESS, &address)] {
        if let Throttle::Wait { seconds } = policy.check(st, now) {
            return Err(AppError::TooManyAttempts { seconds });
        }
    }

    let record = store.find_user_by_login(&login).await.map_err(|e| info.store_error(e))?;
    let hash = record.as_ref().and_then(|r| r.password_hash.clone());
    let password_ok = verify_password_async(hash, password.to_string()).await;
    let record = match record {
        Some(r) if password_ok && r.active => r,
        _ => {
            let account = ThrottlePolicy::ACCOUNT.after_failure(&account, now);
            let address = ThrottlePolicy::ADDRESS.after_failure(&address, now);
            store.throttle_put(&account_key, &account).await.map_err(|e| info.store_error(e))?;
            store.throttle_put(&ip_key, &address).await.map_err(|e| info.store_error(e))?;
            tracing::info!(request_id = %info.request_id, ip = %info.ip, "failed sign-in");
            for (policy, st) in [(ThrottlePolicy::ACCOUNT, &account), (ThrottlePolicy::ADDRESS, &address)] {
                if let Throttle::Wait { seconds } = policy.check(st, now) {
                    return Err(AppError::TooManyAttempts { seconds });
                }
            }
            return Err(AppError::field("form", "login.invalid"));
        }
    };
    store.throttle_clear(&account_key).await.map_err(|e| info.store_error(e))?;
    let token = start_session(state, info, record.user.id).await?;
    Ok(SignedIn { token, user: record.user })
}

async fn start_session(state: &ServerState, info: &RequestInfo, user_id: i64) -> Result<String, AppError> {
    let now = Utc::now();
    let token = random_token();
    let session = NewSession {
        token_hash: token_hash(&state.secret, &token),
        user_id,
        now,
        expires_at: now + Duration::days(state.session_days),
        ip: Some(info.ip.clone()),
        user_agent: info.user_agent.as_ref().map(|ua| ua.chars().take(300).collect()),
    };
    // Rotation: the session this browser had before (if any) ends now.
    let replaces = info.caller.as_ref().map(|c| c.token_hash.clone());
    let mut actor = info.actor();
    actor.user_id = Some(user_id);
    state.store.create_session(&session, replaces.as_deref(), &actor).await.map_err(|e| info.store_error(e))?;
    // What this browser put in its cart as a guest joins the account's cart.
    if let Some(guest) = &info.cart_token {
        let hash = token_hash(&state.secret, guest);
        state.store.cart_merge(&hash, user_id, now).await.map_err(|e| info.store_error(e))?;
    }
    Ok(token)
}

pub async fn sign_out(state: &ServerState, info: &RequestInfo) -> Result<(), AppError> {
    if let Some(caller) = &info.caller {
        state.store.delete_session(&caller.token_hash, &info.actor()).await.map_err(|e| info.store_error(e))?;
    }
    Ok(())
}

pub async fn sign_out_everywhere(state: &ServerState, info: &RequestInfo, caller: &Caller) -> Result<u64, AppError> {
    state.store.revoke_sessions(caller.user.id, None, &info.actor()).await.map_err(|e| info.store_error(e))
}

/// Registration of a retail buyer by phone, name and password; signs them in.
pub async fn register(
    state: &ServerState,
    info: &RequestInfo,
    name: &str,
    phone: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    let mut errors = Vec::new();
    let name = PersonName::parse(name).map_err(|e| errors.push(FieldError::from_domain("name", &e))).ok();
    let phone = Phone::parse(phone).map_err(|e| errors.push(FieldError::from_domain("phone", &e))).ok();
    let password = Password::parse(password).map_err(|e| errors.push(FieldError::from_domain("password", &e))).ok();
    let (Some(name), Some(phone), Some(password)) = (name, phone, password) else {
        return Err(AppError::Validation(errors));
    };
    let hash = hash_password_async(password.expose().to_string()).await;
    let user_id = state
        .store
        .create_retail_buyer(name.as_str(), phone.as_str(), &hash, info.locale, Utc::now())
        .await
        .map_err(|e| info.store_error(e))?;
    let token = start_session(state, info, user_id).await?;
    let user = state.store.find_user(user_id).await.map_err(|e| info.store_error(e))?.ok_or(AppError::NotFound)?;
    Ok(SignedIn { token, user: user.user })
}

/// A guest who checks out with a phone becomes a retail buyer: the account has no usable password
/// yet, the browser is signed in at once, and an SMS link to set a password is queued. A phone
/// that is already registered must sign in instead (answered as a conflict on the phone).
pub async fn register_guest_buyer(
    state: &ServerState,
    info: &RequestInfo,
    name: &str,
    phone: &str,
) -> Result<SignedIn, AppError> {
    let unusable = hash_password_async(random_token()).await;
    let user_id = state.store.create_retail_buyer(name, phone, &unusable, info.locale, Utc::now()).await.map_err(
        |e| match e {
            crate::ports::StoreError::Conflict(_) => AppError::Conflict(FieldError::new("guest_phone", "phone.taken")),
            other => info.store_error(other),
        },
    )?;
    let (token, link) = password_token(state, TokenPurpose::Invite);
    let message = link_message(info.locale, name, None, Some(phone), TokenPurpose::Invite, &link);
    let mut actor = info.actor();
    actor.user_id = Some(user_id);
    state.store.issue_password_token(user_id, &token, &message, &actor).await.map_err(|e| info.store_error(e))?;
    let token = start_session(state, info, user_id).await?;
    let user = state.store.find_user(user_id).await.map_err(|e| info.store_error(e))?.ok_or(AppError::NotFound)?;
    Ok(SignedIn { token, user: user.user })
}

pub async fn change_password(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let record =
        state.store.find_user(caller.user.id).await.map_err(|e| info.store_error(e))?.ok_or(AppError::NotFound)?;
    if !verify_password_async(record.password_hash, current.to_string()).await {
        return Err(AppError::field("current", "password.wrong"));
    }
    let new = Password::parse(new).map_err(|e| AppError::Validation(vec![FieldError::from_domain("new", &e)]))?;
    let hash = hash_password_async(new.expose().to_string()).await;
    state
        .store
        .set_password(caller.user.id, &hash, Some(&caller.token_hash), Utc::now(), &info.actor())
        .await
        .map_err(|e| info.store_error(e))
}

pub async fn update_profile(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    name: &str,
    email: &str,
    phone: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let name = PersonName::parse(name).map_err(|e| errors.push(FieldError::from_domain("name", &e))).ok();
    let email = optional(email, Email::parse).map_err(|e| errors.push(FieldError::from_domain("email", &e))).ok();
    let phone = optional(phone, Phone::parse).map_err(|e| errors.push(FieldError::from_domain("phone", &e))).ok();
    let (Some(name), Some(email), Some(phone)) = (name, email, phone) else {
        return Err(AppError::Validation(errors));
    };
    if email.is_none() && phone.is_none() {
        return Err(AppError::field("email", "contact.required"));
    }
    let change = ProfileChange {
        name: name.as_str().to_string(),
        email: email.map(|e| e.as_str().to_string()),
        phone: phone.map(|p| p.as_str().to_string()),
    };
    state.store.update_profile(caller.user.id, &change, &info.actor()).await.map_err(|e| info.store_error(e))
}

fn optional<T, E>(input: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<Option<T>, E> {
    if input.trim().is_empty() { Ok(None) } else { parse(input).map(Some) }
}

/// Validated input of the administrator's "new user" form.
pub struct UserDraft {
    pub organisation_id: i64,
    pub role: Role,
    pub name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

pub fn parse_user_draft(
    organisation_id: i64,
    role: &str,
    name: &str,
    email: &str,
    phone: &str,
) -> Result<UserDraft, AppError> {
    let mut errors = Vec::new();
    let role = Role::parse(role).or_else(|| {
        errors.push(FieldError::new("role", "role.unknown"));
        None
    });
    let name = PersonName::parse(name).map_err(|e| errors.push(FieldError::from_domain("name", &e))).ok();
    let email = optional(email, Email::parse).map_err(|e| errors.push(FieldError::from_domain("email", &e))).ok();
    let phone = optional(phone, Phone::parse).map_err(|e| errors.push(FieldError::from_domain("phone", &e))).ok();
    if let (Some(None), Some(None)) = (&email, &phone) {
        errors.push(FieldError::new("email", "contact.required"));
    }
    match (role, name, email, phone) {
        (Some(role), Some(name), Some(email), Some(phone)) if errors.is_empty() => {
            Ok(UserDraft { organisation_id, role, name, email, phone })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

/// Creates a user and records an invitation link for delivery; nobody sees a password.
pub async fn create_user(state: &ServerState, info: &RequestInfo, draft: UserDraft) -> Result<LinkRecorded, AppError> {
    let kind = state
        .store
        .organisation_kind(draft.organisation_id)
        .await
        .map_err(|e| info.store_error(e))?
        .ok_or_else(|| AppError::field("organisation", "organisation.unknown"))?;
    if kind != draft.role.org_kind() {
        return Err(AppError::field("role", "role.wrong_organisation"));
    }
    let now = Utc::now();
    let user = NewUser {
        organisation_id: draft.organisation_id,
        role: draft.role,
        name: draft.name.as_str().to_string(),
        email: draft.email.as_ref().map(|e| e.as_str().to_string()),
        phone: draft.phone.as_ref().map(|p| p.as_str().to_string()),
        now,
    };
    let (token, link) = password_token(state, TokenPurpose::Invite);
    let message = link_message(
        info.locale,
        &user.name,
        user.email.as_deref(),
        user.phone.as_deref(),
        TokenPurpose::Invite,
        &link,
    );
    let recipient = message.recipient.clone();
    let user_id =
        state.store.create_user(&user, &token, &message, &info.actor()).await.map_err(|e| info.store_error(e))?;
    Ok(LinkRecorded { user_id, recipient })
}

/// Records a one-time link for the user to choose a new password.
pub async fn reset_password(state: &ServerState, info: &RequestInfo, user_id: i64) -> Result<LinkRecorded, AppError> {
    let record = state.store.find_user(user_id).await.map_err(|e| info.store_error(e))?.ok_or(AppError::NotFound)?;
    let u = &record.user;
    let (token, link) = password_token(state, TokenPurpose::Reset);
    let message = link_message(u.locale, &u.name, u.email.as_deref(), u.phone.as_deref(), TokenPurpose::Reset, &link);
    let recipient = message.recipient.clone();
    state
        .store
        .issue_password_token(user_id, &token, &message, &info.actor())
        .await
        .map_err(|e| info.store_error(e))?;
    Ok(LinkRecorded { user_id, recipient })
}

fn password_token(state: &ServerState, purpose: TokenPurpose) -> (PasswordToken, String) {
    let raw = random_token();
    let now = Utc::now();
    let valid = match purpose {
        TokenPurpose::Invite => Duration::days(7),
        TokenPurpose::Reset => Duration::hours(24),
    };
    let token = PasswordToken { token_hash: token_hash(&state.secret, &raw), purpose, now, expires_at: now + valid };
    (token, format!("{}/password/{raw}", state.public_url.trim_end_matches('/')))
}

fn link_message(
    locale: domain::Locale,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
    purpose: TokenPurpose,
    link: &str,
) -> Outgoing {
    let t = crate::i18n::identity::texts(locale);
    let (subject, intro) = match purpose {
        TokenPurpose::Invite => (t.mail_invite_subject, t.mail_invite_body),
        TokenPurpose::Reset => (t.mail_reset_subject, t.mail_reset_body),
    };
    let (channel, recipient) = match (email, phone) {
        (Some(e), _) => (Channel::Email, e.to_string()),
        (None, Some(p)) => (Channel::Sms, p.to_string()),
        (None, None) => (Channel::Email, String::new()),
    };
    Outgoing { channel, recipient, subject: subject.to_string(), body: format!("{name},\n\n{intro}\n{link}\n") }
}

/// Sets a new password with a one-time link; every session of that user ends.
pub async fn redeem_password_link(
    state: &ServerState,
    info: &RequestInfo,
    token: &str,
    password: &str,
) -> Result<(), AppError> {
    let password =
        Password::parse(password).map_err(|e| AppError::Validation(vec![FieldError::from_domain("password", &e)]))?;
    let hash = hash_password_async(password.expose().to_string()).await;
    state.store.redeem_password_token(&token_hash(&state.secret, token), &hash, Utc::now()).await.map(|_| ()).map_err(
        |e| match e {
            crate::ports::StoreError::NotFound => AppError::field("password", "link.invalid"),
            other => info.store_error(other),
        },
    )
}
