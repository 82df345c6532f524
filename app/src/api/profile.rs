use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CurrentUser, SessionInfo};

/// Saves the caller's name and contacts; answers with the user as now stored.
#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String, email: String, phone: String) -> Result<CurrentUser, AppError> {
    use crate::services::{auth, context::*};
    let (state, info, caller) = authorize_caller("/api/update_profile")?;
    reply(auth::update_profile(&state, &info, &caller, &name, &email, &phone).await)?;
    let stored = state.store.find_user(caller.user.id).await.map_err(|e| info.store_error(e));
    reply(stored.and_then(|u| u.map(|u| u.user).ok_or(AppError::NotFound)))
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    use crate::services::{auth, context::*};
    let (state, info, caller) = authorize_caller("/api/change_password")?;
    if new != confirm {
        return reply(Err(AppError::field("confirm", "password.mismatch")));
    }
    reply(auth::change_password(&state, &info, &caller, &current, &new).await)
}

/// The caller's own signed-in devices.
#[server(endpoint = "list_sessions")]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::services::context::*;
    let (state, info, caller) = authorize_caller("/api/list_sessions")?;
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
    let (state, info, caller) = authorize_caller("/api/revoke_session")?;
    reply(state.store.revoke_session(caller.user.id, id, &info.actor()).await.map_err(|e| info.store_error(e)))
}
