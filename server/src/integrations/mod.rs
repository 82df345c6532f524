//! Adapters to the outside world behind the ports of `app`: payment providers and SMS gateways
//! (the built-in sandboxes today), the SMTP server, and later the 1C exchange.

pub mod sandbox_payments;
pub mod sandbox_sms;
pub mod smtp;
