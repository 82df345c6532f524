//! CRM area, storage port: a client's responsible manager.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{Actor, Reach, StoreResult};
use crate::model::ClientManager;

#[async_trait]
pub trait CrmStore: Send + Sync + 'static {
    /// The client organisation within reach with its responsible manager and the managers who may
    /// become it; `NotFound` outside reach.
    async fn client_manager(&self, organisation_id: i64, reach: &Reach) -> StoreResult<ClientManager>;

    /// Makes `manager_id` the client's responsible manager (`None`: nobody), with the audit record
    /// and, for a new manager, the "client assigned" event (about the order it was done from).
    /// `Conflict("manager")` when that person is not one of the choices; answers whether anything
    /// changed.
    async fn assign_manager(&self, assignment: &Assignment, reach: &Reach, actor: &Actor) -> StoreResult<bool>;
}

/// A client given to a manager (or to nobody), from one of its orders.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub organisation_id: i64,
    pub manager_id: Option<i64>,
    pub order_id: i64,
    pub now: DateTime<Utc>,
}
