//! Server-side use cases, one module per business area, shared by server functions and the plain
//! HTTP routes: acting person → domain → store port.

pub mod cart;
pub mod catalog;
pub mod context;
pub mod crm;
pub mod crypto;
pub mod identity;
pub mod invoicing;
pub mod notifications;
pub mod ordering;
pub mod payments;
pub mod uploads;

pub use context::{Caller, RequestInfo, ServerState};
