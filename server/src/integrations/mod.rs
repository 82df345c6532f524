//! Adapters to the outside world behind the ports of `app`: payment providers and SMS gateways
//! (the built-in sandboxes today), and later SMTP and the 1C exchange.

pub mod sandbox_payments;
pub mod sandbox_sms;
