use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{LinkRecorded, OrganisationSummary, UserSummary};

#[server(endpoint = "admin_list_users")]
pub async fn admin_list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::services::context::*;
    let (state, info) = authorize("/api/admin_list_users")?;
    reply(state.store.list_users().await.map_err(|e| info.store_error(e)))
}

#[server(endpoint = "admin_list_organisations")]
pub async fn admin_list_organisations() -> Result<Vec<OrganisationSummary>, AppError> {
    use crate::services::context::*;
    let (state, info) = authorize("/api/admin_list_organisations")?;
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
    use crate::services::{auth, context::*};
    let (state, info) = authorize("/api/admin_create_user")?;
    let draft = reply(auth::parse_user_draft(organisation, &role, &name, &email, &phone))?;
    reply(auth::create_user(&state, &info, draft).await)
}

/// Queues a one-time link for the user to choose a new password; the administrator never sees it.
#[server(endpoint = "admin_reset_password")]
pub async fn admin_reset_password(user_id: i64) -> Result<LinkRecorded, AppError> {
    use crate::services::{auth, context::*};
    let (state, info) = authorize("/api/admin_reset_password")?;
    reply(auth::reset_password(&state, &info, user_id).await)
}
