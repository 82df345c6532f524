#![recursion_limit = "512"]
//! Integration tests: the real server on a random port, against SQLite and PostgreSQL; one module
//! per business area (`server/tests/api/<area>.rs`), plus access and policy coverage.

mod access;
mod cart;
mod catalog;
mod crm;
mod durability;
mod helpers;
mod identity;
mod invoicing;
mod notifications;
mod ordering;
mod payments;
mod policy;
mod schema;

/// Runs each listed `async fn(Backend)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(backend) = $crate::helpers::Backend::postgres() {
                        super::$name(backend).await
                    }
                }
            )*
        }
    };
}
