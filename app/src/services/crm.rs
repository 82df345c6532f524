//! CRM area, use cases: a client's responsible manager, chosen by a regional head (within their
//! region) or an administrator among the active sales managers of the client's region. The new
//! manager is told; the client's orders, messages and payments go to them from then on.

use chrono::Utc;

use crate::error::AppError;
use crate::model::ClientManager;
use crate::ports::{Assignment, StoreError};
use crate::services::context::{Acting, RequestInfo, ServerState, store_err};

/// The client of order `order_id` with its responsible manager and the choices, for those who may
/// assign one (`policy::ASSIGNING`); `None` for everyone else.
pub async fn for_order(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    organisation_id: i64,
) -> Result<Option<ClientManager>, AppError> {
    let role = acting.caller()?.user.role;
    if !crate::policy::ASSIGNING.contains(&role) {
        return Ok(None);
    }
    match state.store.client_manager(organisation_id, &acting.reach()?).await {
        Ok(client) => Ok(Some(client)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(info.store_error(e)),
    }
}

/// Makes `manager` (a user id; `0`: nobody) responsible for the client of order `order_id`.
pub async fn assign_manager(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    order_id: i64,
    manager: i64,
) -> Result<ClientManager, AppError> {
    let caller = acting.caller()?;
    if !crate::policy::ASSIGNING.contains(&caller.user.role) {
        return Err(AppError::Forbidden);
    }
    let reach = acting.reach()?;
    let order = state.store.order(order_id, &reach).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let current = state.store.client_manager(order.organisation_id, &reach).await.map_err(store_err(info))?;
    let manager_id = (manager != 0).then_some(manager);
    if manager_id.is_some_and(|m| !current.choices.iter().any(|(id, _)| *id == m)) {
        return Err(AppError::field("manager", "crm.manager_unknown"));
    }
    let assignment = Assignment { organisation_id: order.organisation_id, manager_id, order_id, now: Utc::now() };
    let mut actor = info.actor();
    actor.user_id = Some(caller.user.id);
    match state.store.assign_manager(&assignment, &reach, &actor).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => return Err(AppError::field("manager", "crm.manager_unknown")),
        Err(e) => return Err(store_err(info)(e)),
    }
    state.store.client_manager(order.organisation_id, &reach).await.map_err(store_err(info))
}
