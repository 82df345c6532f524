//! What the use cases need from storage: one port trait per business area, all of them under the
//! one [`Store`] supertrait that the server implements with sqlx (SQLite and PostgreSQL) and holds
//! once in its state (`ServerState::store`). `app` never names sqlx.

use async_trait::async_trait;
use domain::Role;

pub mod cart;
pub mod catalog;
pub mod crm;
pub mod identity;
pub mod invoicing;
pub mod notifications;
pub mod ordering;
pub mod payments;

pub use cart::*;
pub use catalog::*;
pub use crm::*;
pub use identity::*;
pub use invoicing::*;
pub use notifications::*;
pub use ordering::*;
pub use payments::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value is taken: the name of the field.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    /// A stored value the code cannot read (a role or status it does not know).
    #[error("stored data: {0}")]
    Corrupt(String),
    /// The database failed; the cause is kept for the log.
    #[error("storage: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who did something, for the audit trail.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub role: Option<Role>,
    pub request_id: Option<String>,
}

/// How far a query reaches, from the acting person and the policy row's scope. Store methods that
/// read records of many owners take one and narrow their SQL by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// One person's own records.
    User(i64),
    /// The records of one organisation (a client company, a dealer, a retail buyer's own).
    Organisation(i64),
    /// The records of every organisation of one region (regional heads).
    Region(i64),
    /// The records of the organisations a sales manager (this user) works with: assigned to them,
    /// or assigned to nobody and of the manager's region or of none.
    Managed(i64),
    /// A head's reach over orders and clients: the organisations of one region, and those of no
    /// region (private persons).
    RegionAndPersons(i64),
    Everything,
}

/// Every area's storage. Use cases call the area traits' methods on `dyn Store`.
#[async_trait]
pub trait Store:
    IdentityStore
    + CatalogStore
    + CartStore
    + OrderStore
    + PaymentStore
    + InvoiceStore
    + NotificationStore
    + CrmStore
    + Send
    + Sync
    + 'static
{
    /// Answers when the database does.
    async fn ping(&self) -> StoreResult<()>;
}
