//! Server functions: the only API between the browser and the server, one module per business
//! area. Each body is short: who acts and may they (`authorize!`, from the policy row of the
//! function itself), parse, one use case, answer.

pub mod cart;
pub mod catalog;
pub mod crm;
pub mod identity;
pub mod invoicing;
pub mod notifications;
pub mod ordering;
pub mod payments;
