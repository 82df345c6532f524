//! Adapters to the outside world behind the ports of `app`: payment providers (the built-in
//! sandbox today), and later SMTP, SMS gateways and the 1C exchange.

pub mod sandbox_payments;
