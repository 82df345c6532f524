use domain::Locale;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::CurrentUser;

/// The signed-in user, or `None` for a guest.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::services::context::authorize;
    let (_, info) = authorize("/api/current_user")?;
    Ok(info.caller.map(|c| c.user))
}

/// Signs in and sets the session cookie; returns where to go next.
#[server(endpoint = "sign_in")]
pub async fn sign_in(identifier: String, password: String) -> Result<String, AppError> {
    use crate::services::{auth, context::*};
    let (state, info) = authorize("/api/sign_in")?;
    let signed_in = reply(auth::sign_in(&state, &info, &identifier, &password).await)?;
    append_cookie(session_cookie(&state, &signed_in.token));
    append_cookie(lang_cookie(&state, signed_in.user.locale));
    Ok(auth::home_path(signed_in.user.role).to_string())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::services::{auth, context::*};
    let (state, info) = authorize("/api/sign_out")?;
    reply(auth::sign_out(&state, &info).await)?;
    append_cookie(clear_session_cookie(&state));
    Ok(())
}

/// Ends every session of the caller, this one included.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    use crate::services::{auth, context::*};
    let (state, info, caller) = authorize_caller("/api/sign_out_everywhere")?;
    let n = reply(auth::sign_out_everywhere(&state, &info, &caller).await)?;
    append_cookie(clear_session_cookie(&state));
    Ok(n)
}

/// Registers a retail buyer and signs them in; returns where to go next.
#[server(endpoint = "register")]
pub async fn register(name: String, phone: String, password: String) -> Result<String, AppError> {
    use crate::services::{auth, context::*};
    let (state, info) = authorize("/api/register")?;
    let signed_in = reply(auth::register(&state, &info, &name, &phone, &password).await)?;
    append_cookie(session_cookie(&state, &signed_in.token));
    Ok(auth::home_path(signed_in.user.role).to_string())
}

/// Remembers the interface language: in a cookie, and on the account when signed in.
#[server(endpoint = "set_locale")]
pub async fn set_locale(locale: Locale) -> Result<(), AppError> {
    use crate::services::context::*;
    let (state, info) = authorize("/api/set_locale")?;
    if let Some(caller) = &info.caller {
        reply(state.store.set_locale(caller.user.id, locale).await.map_err(|e| info.store_error(e)))?;
    }
    append_cookie(lang_cookie(&state, locale));
    Ok(())
}

/// Sets a password through a one-time link.
#[server(endpoint = "set_password_with_token")]
pub async fn set_password_with_token(token: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::services::{auth, context::*};
    let (state, info) = authorize("/api/set_password_with_token")?;
    if password != confirm {
        return reply(Err(AppError::field("confirm", "password.mismatch")));
    }
    reply(auth::redeem_password_link(&state, &info, &token, &password).await)
}
