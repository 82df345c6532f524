//! CRM area, server functions: a client's responsible manager.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ClientManager;

/// Makes `manager` (a user id; `0`: nobody) the responsible manager of the client of order `id`.
#[server(endpoint = "assign_manager")]
pub async fn assign_manager(id: i64, manager: i64) -> Result<ClientManager, AppError> {
    use crate::services::{context::*, crm};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(crm::assign_manager(&state, &info, &acting, id, manager).await)
}
