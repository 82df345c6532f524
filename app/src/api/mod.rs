//! Server functions: the only API between the browser and the server. Each body is short: who
//! calls and may they (policy), parse, one use case, answer.

pub mod admin;
pub mod auth;
pub mod profile;
pub mod shop;
