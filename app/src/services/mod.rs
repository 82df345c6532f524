//! Server-side use cases shared by server functions and the plain HTTP form routes.

pub mod auth;
pub mod context;
pub mod crypto;

pub use context::{Caller, RequestInfo, ServerState};
