//! Identity area, server functions: sign-in and sign-out, registration, language, one-time
//! password links, the profile and devices, user administration.

use domain::Locale;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CodeSent, CurrentUser, LinkRecorded, OrganisationSummary, SessionInfo, UserSummary};

/// The signed-in user, or `None` for a guest.
#[server(name = GetCurrentUser, endpoint = "current_user")]
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::services::context::*;
    let Call { state, info, .. } = crate::authorize!()?;
    let Some(mut user) = info.caller.clone().map(|c| c.user) else { return Ok(None) };
    // The frame's bell shows the unread count from the first paint.
    user.unread = state.store.unread_count(user.id).await.map_err(store_err(&info))?;
    Ok(Some(user))
}

/// Signs in and sets the session cookie; returns where to go next.
#[server(endpoint = "sign_in")]
pub async fn sign_in(identifier: String, password: String) -> Result<String, AppError> {
    use crate::services::{context::*, identity};
    let Call { state, info, .. } = crate::authorize!()?;
    let signed_in = reply(identity::sign_in(&state, &info, &identifier, &password).await)?;
    append_cookie(session_cookie(&state, &signed_in.token));
    append_cookie(lang_cookie(&state, signed_in.user.locale));
    Ok(identity::home_path(signed_in.user.role).to_string())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::services::{context::*, identity};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(identity::sign_out(&state, &info).await)?;
    append_cookie(clear_session_cookie(&state));
    Ok(())
}

/// Ends every session of the caller, this one included.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    use crate::services::{context::*, identity};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    let n = reply(identity::sign_out_everywhere(&state, &info, &caller).await)?;
    append_cookie(clear_session_cookie(&state));
    Ok(n)
}

/// Sends a confirmation code by SMS to a phone number (registration, guest checkout). Answers the
/// same whether or not an account has the number; errors name the field `phone`.
#[server(endpoint = "send_phone_code")]
pub async fn send_phone_code(phone: String) -> Result<CodeSent, AppError> {
    use crate::services::{context::*, identity};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(identity::phone::send_code(&state, &info, &phone, "phone").await)
}

/// Registers a retail buyer whose phone is confirmed by `code` and signs them in; returns where
/// to go next.
#[server(endpoint = "register")]
pub async fn register(name: String, phone: String, code: String, password: String) -> Result<String, AppError> {
    use crate::services::{context::*, identity};
    let Call { state, info, .. } = crate::authorize!()?;
    let signed_in = reply(identity::register(&state, &info, &name, &phone, &code, &password).await)?;
    append_cookie(session_cookie(&state, &signed_in.token));
    Ok(identity::home_path(signed_in.user.role).to_string())
}

/// Remembers the interface language: in a cookie, and on the account when signed in.
#[server(endpoint = "set_locale")]
pub async fn set_locale(locale: Locale) -> Result<(), AppError> {
    use crate::services::context::*;
    let Call { state, info, .. } = crate::authorize!()?;
    if let Some(caller) = &info.caller {
        reply(state.store.set_locale(caller.user.id, locale).await.map_err(|e| info.store_error(e)))?;
    }
    append_cookie(lang_cookie(&state, locale));
    Ok(())
}

/// Sets a password through a one-time link.
#[server(endpoint = "set_password_with_token")]
pub async fn set_password_with_token(token: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::services::{context::*, identity};
    let Call { state, info, .. } = crate::authorize!()?;
    if password != confirm {
        return reply(Err(AppError::field("confirm", "password.mismatch")));
    }
    reply(identity::redeem_password_link(&state, &info, &token, &password).await)
}

/// Saves the caller's name and contacts; answers with the user as now stored.
#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String, email: String, phone: String) -> Result<CurrentUser, AppError> {
    use crate::services::{context::*, identity};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(identity::update_profile(&state, &info, &caller, &name, &email, &phone).await)?;
    let stored = state.store.find_user(caller.user.id).await.map_err(|e| info.store_error(e));
    reply(stored.and_then(|u| u.map(|u| u.user).ok_or(AppError::NotFound)))
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    use crate::services::{context::*, identity};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    if new != confirm {
        return reply(Err(AppError::field("confirm", "password.mismatch")));
    }
    reply(identity::change_password(&state, &info, &caller, &current, &new).await)
}

/// The caller's own signed-in devices.
#[server(endpoint = "list_sessions")]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::services::context::*;
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    let mut sessions =
        reply(state.store.list_sessions(caller.user.id, chrono::Utc::now()).await.map_err(|e| info.store_error(e)))?;
    for s in &mut sessions {
        s.current = s.id == caller.session_id;
    }
    Ok(sessions)
}

/// Signs one of the caller's own devices out. Another person's session id is "not found".
#[server(endpoint = "revoke_session")]
pub async fn revoke_session(id: i64) -> Result<(), AppError> {
    use crate::services::context::*;
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(state.store.revoke_session(caller.user.id, id, &info.actor()).await.map_err(|e| info.store_error(e)))
}

#[server(endpoint = "admin_list_users")]
pub async fn admin_list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::services::context::*;
    let Call { state, info, .. } = crate::authorize!()?;
    reply(state.store.list_users().await.map_err(|e| info.store_error(e)))
}

#[server(endpoint = "admin_list_organisations")]
pub async fn admin_list_organisations() -> Result<Vec<OrganisationSummary>, AppError> {
    use crate::services::context::*;
    let Call { state, info, .. } = crate::authorize!()?;
    reply(state.store.list_organisations().await.map_err(|e| info.store_error(e)))
}

/// Creates a user without a password and queues an invitation link to their e-mail or phone.
#[server(endpoint = "admin_create_user")]
pub async fn admin_create_user(
    organisation: i64,
    role: String,
    name: String,
    email: String,
    phone: String,
) -> Result<LinkRecorded, AppError> {
    use crate::services::{context::*, identity};
    let Call { state, info, .. } = crate::authorize!()?;
    let draft = reply(identity::parse_user_draft(organisation, &role, &name, &email, &phone))?;
    reply(identity::create_user(&state, &info, draft).await)
}

/// Queues a one-time link for the user to choose a new password; the administrator never sees it.
#[server(endpoint = "admin_reset_password")]
pub async fn admin_reset_password(user_id: i64) -> Result<LinkRecorded, AppError> {
    use crate::services::{context::*, identity};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(identity::reset_password(&state, &info, user_id).await)
}
