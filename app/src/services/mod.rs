//! Server-side use cases shared by server functions and the plain HTTP form routes.

pub mod auth;
pub mod context;
pub mod crypto;
pub mod payments;
pub mod shop;

pub use context::{Caller, RequestInfo, ServerState};
