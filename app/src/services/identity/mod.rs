//! Identity area, use cases: signing in and out, registration, passwords, one-time password
//! links, profiles and user administration; phone confirmation by SMS code in `phone`.

pub mod phone;

use chrono::{Duration, Utc};
use domain::{Email, LoginId, Password, PersonName, Phone, Role, Throttle, ThrottlePolicy, ThrottleState};

use super::context::{Caller, RequestInfo, ServerState};
use super::crypto::{hash_password_async, random_token, token_hash, verify_password_async};
use super::notifications;
use crate::error::{AppError, FieldError};
use crate::model::{CurrentUser, LinkRecorded};
use crate::ports::{NewSession, NewUser, Outgoing, PasswordToken, ProfileChange, Recipient, TokenPurpose};
use domain::notifications::Notice;

/// A new session: the raw token goes into the cookie, only its hash into the database.
pub struct SignedIn {
    pub token: String,
    pub user: CurrentUser,
}

/// Where a role lands after signing in.
pub fn home_path(_role: Role) -> &'static str {
    "/home"
}

/// Failed sign-ins into one account from one address: a guesser's address is slowed down on that
/// account while the owner, signing in from elsewhere, is not.
fn account_key(login: &LoginId, ip: &str) -> String {
    format!("login:{}|ip:{ip}", login.as_str())
}

fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// When the owner was last told about failed sign-ins (at most once an hour).
fn alert_key(user_id: i64) -> String {
    format!("alert:{user_id}")
}

/// Refuses at once while `key` is held back by `policy`.
pub(crate) async fn held_back(
    state: &ServerState,
    info: &RequestInfo,
    policy: ThrottlePolicy,
    key: &str,
) -> Result<ThrottleState, AppError> {
    let current = state.store.throttle_get(key).await.map_err(|e| info.store_error(e))?;
    match policy.check(&current, Utc::now()) {
        Throttle::Wait { seconds } => Err(AppError::TooManyAttempts { seconds }),
        Throttle::Allowed => Ok(current),
    }
}

/// Counts one more attempt against `key` (a failure, or for rate limits every attempt).
pub(crate) async fn count_attempt(
    state: &ServerState,
    info: &RequestInfo,
    policy: ThrottlePolicy,
    key: &str,
    current: &ThrottleState,
) -> Result<ThrottleState, AppError> {
    let next = policy.after_failure(current, Utc::now());
    state.store.throttle_put(key, &next).await.map_err(|e| info.store_error(e))?;
    Ok(next)
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
    let (account_key, ip_key) = (account_key(&login, &info.ip), address_key(&info.ip));
    let account = held_back(state, info, ThrottlePolicy::ACCOUNT, &account_key).await?;
    let address = held_back(state, info, ThrottlePolicy::ADDRESS, &ip_key).await?;

    let record = store.find_user_by_login(&login).await.map_err(|e| info.store_error(e))?;
    let hash = record.as_ref().and_then(|r| r.password_hash.clone());
    let password_ok = verify_password_async(hash, password.to_string()).await;
    let record = match record {
        Some(r) if password_ok && r.active => r,
        found => {
            let account = count_attempt(state, info, ThrottlePolicy::ACCOUNT, &account_key, &account).await?;
            let address = count_attempt(state, info, ThrottlePolicy::ADDRESS, &ip_key, &address).await?;
            tracing::info!(request_id = %info.request_id, ip = %info.ip, "failed sign-in");
            if let Some(owner) = found.filter(|_| account.failures == ThrottlePolicy::ACCOUNT.free_failures) {
                alert_owner(state, info, &owner.user).await?;
            }
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

/// Tells the owner of an account that an address is being held back after wrong passwords (at
/// most once an hour, whatever the number of addresses), with what to do if it was not them.
async fn alert_owner(state: &ServerState, info: &RequestInfo, user: &CurrentUser) -> Result<(), AppError> {
    let now = Utc::now();
    let key = alert_key(user.id);
    let last = state.store.throttle_get(&key).await.map_err(|e| info.store_error(e))?;
    if last.last_failure.is_some_and(|t| now - t < Duration::hours(1)) {
        return Ok(());
    }
    let link = format!("{}/profile", state.public_url.trim_end_matches('/'));
    let values = [("address", info.ip.clone())];
    let Some(message) =
        notifications::compose_direct(state, info, Notice::FailedSignIns, &recipient(user), &link, &values).await?
    else {
        return Ok(());
    };
    state.store.queue_message(&message, now).await.map_err(|e| info.store_error(e))?;
    let sent = ThrottleState { failures: 1, last_failure: Some(now), locked_until: None };
    state.store.throttle_put(&key, &sent).await.map_err(|e| info.store_error(e))
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

/// Registration of a retail buyer by name, phone, the SMS code sent to that phone, and password;
/// signs them in. A number that already has an account is said so only to whoever typed its code.
pub async fn register(
    state: &ServerState,
    info: &RequestInfo,
    name: &str,
    phone: &str,
    code: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    let mut errors = Vec::new();
    let name = PersonName::parse(name).map_err(|e| errors.push(FieldError::from_domain("name", &e))).ok();
    let phone = Phone::parse(phone).map_err(|e| errors.push(FieldError::from_domain("phone", &e))).ok();
    if code.trim().is_empty() {
        errors.push(FieldError::new("code", "code.missing"));
    }
    let password = Password::parse(password).map_err(|e| errors.push(FieldError::from_domain("password", &e))).ok();
    let (Some(name), Some(phone), Some(password), true) = (name, phone, password, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    phone::confirm(state, info, &phone, code, "code").await?;
    if state.store.find_user_by_login(&LoginId::Phone(phone.clone())).await.map_err(|e| info.store_error(e))?.is_some()
    {
        return Err(AppError::Conflict(FieldError::new("phone", "phone.taken")));
    }
    // Every new account from one address counts, before the expensive hash.
    super::context::rate_limit(state, info, ThrottlePolicy::REGISTRATION, &format!("register:{}", info.ip)).await?;
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

/// How a guest who confirmed their phone at checkout goes on.
pub enum Guest {
    /// A new retail buyer: an account with no usable password yet (an SMS link sets one).
    Created(SignedIn),
    /// The number already belongs to a retail buyer, who is now signed in to that account.
    Returning(SignedIn),
}

/// A guest checking out with a phone proves it with the SMS code (`guest_code`). A new number
/// becomes a retail buyer, signed in at once, with an SMS link to set a password queued; a
/// returning buyer's number signs them in to their account. A company account's number is not
/// signed in by code (answered on the phone field).
pub async fn guest_buyer(
    state: &ServerState,
    info: &RequestInfo,
    name: &PersonName,
    phone: &Phone,
    code: &str,
) -> Result<Guest, AppError> {
    phone::confirm(state, info, phone, code, "guest_code").await?;
    let existing =
        state.store.find_user_by_login(&LoginId::Phone(phone.clone())).await.map_err(|e| info.store_error(e))?;
    if let Some(record) = existing {
        if record.user.role != Role::RetailBuyer || !record.active {
            return Err(AppError::Conflict(FieldError::new("guest_phone", "phone.business_account")));
        }
        let token = start_session(state, info, record.user.id).await?;
        return Ok(Guest::Returning(SignedIn { token, user: record.user }));
    }
    super::context::rate_limit(state, info, ThrottlePolicy::REGISTRATION, &format!("register:{}", info.ip)).await?;
    let unusable = hash_password_async(random_token()).await;
    let user_id = state
        .store
        .create_retail_buyer(name.as_str(), phone.as_str(), &unusable, info.locale, Utc::now())
        .await
        .map_err(|e| match e {
            crate::ports::StoreError::Conflict(_) => AppError::Conflict(FieldError::new("guest_phone", "phone.taken")),
            other => info.store_error(other),
        })?;
    let (token, link) = password_token(state, TokenPurpose::Invite);
    let person = Recipient {
        user_id,
        name: name.as_str().to_string(),
        email: None,
        phone: Some(phone.as_str().to_string()),
        locale: info.locale,
        opted_out: Vec::new(),
    };
    let message = link_message(state, info, person, TokenPurpose::Invite, &link).await?;
    let mut actor = info.actor();
    actor.user_id = Some(user_id);
    state.store.issue_password_token(user_id, &token, &message, &actor).await.map_err(|e| info.store_error(e))?;
    let token = start_session(state, info, user_id).await?;
    let user = state.store.find_user(user_id).await.map_err(|e| info.store_error(e))?.ok_or(AppError::NotFound)?;
    Ok(Guest::Created(SignedIn { token, user: user.user }))
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
    let person = Recipient {
        user_id: 0,
        name: user.name.clone(),
        email: user.email.clone(),
        phone: user.phone.clone(),
        locale: info.locale,
        opted_out: Vec::new(),
    };
    let message = link_message(state, info, person, TokenPurpose::Invite, &link).await?;
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
    let message = link_message(state, info, recipient(u), TokenPurpose::Reset, &link).await?;
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

/// The person as a notice's recipient (their channels turned off do not matter: security notices
/// reach them anyway).
fn recipient(user: &CurrentUser) -> Recipient {
    Recipient {
        user_id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        phone: user.phone.clone(),
        locale: user.locale,
        opted_out: Vec::new(),
    }
}

/// The message with a one-time link to choose a password, by e-mail or else by SMS.
async fn link_message(
    state: &ServerState,
    info: &RequestInfo,
    person: Recipient,
    purpose: TokenPurpose,
    link: &str,
) -> Result<Outgoing, AppError> {
    let ru = person.locale == domain::Locale::Ru;
    let (notice, valid) = match purpose {
        TokenPurpose::Invite => (Notice::Invitation, if ru { "7 дней" } else { "7 days" }),
        TokenPurpose::Reset => (Notice::PasswordReset, if ru { "24 часа" } else { "24 hours" }),
    };
    let values = [("valid", valid.to_string())];
    notifications::compose_direct(state, info, notice, &person, link, &values)
        .await?
        .ok_or_else(|| AppError::field("email", "contact.required"))
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
    // The link is checked before the expensive hash, and wrong links are counted per address.
    let key = format!("links:{}", info.ip);
    let tried = held_back(state, info, ThrottlePolicy::LINKS, &key).await?;
    let hashed = token_hash(&state.secret, token);
    if !state.store.password_token_live(&hashed, Utc::now()).await.map_err(|e| info.store_error(e))? {
        count_attempt(state, info, ThrottlePolicy::LINKS, &key, &tried).await?;
        return Err(AppError::field("password", "link.invalid"));
    }
    let hash = hash_password_async(password.expose().to_string()).await;
    state.store.redeem_password_token(&hashed, &hash, Utc::now()).await.map(|_| ()).map_err(|e| match e {
        crate::ports::StoreError::NotFound => AppError::field("password", "link.invalid"),
        other => info.store_error(other),
    })
}
