//! Cart area, storage port: the signed-in user's or the guest browser's cart.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use super::catalog::ProductRecord;

/// Whose cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CartOwner {
    User(i64),
    /// A guest browser: the hash of its cart cookie.
    Guest(String),
}

#[async_trait]
pub trait CartStore: Send + Sync + 'static {
    /// (product, quantity in thousandths) in the order they were added.
    async fn cart_items(&self, owner: &CartOwner) -> StoreResult<Vec<(ProductRecord, i64)>>;

    /// Adds to a line (`replace` = false) or sets it; a quantity of 0 removes it.
    async fn cart_put(
        &self,
        owner: &CartOwner,
        product_id: i64,
        quantity: i64,
        replace: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Moves a guest cart's lines into the user's cart (quantities add up) and deletes the guest cart.
    async fn cart_merge(&self, guest_hash: &str, user_id: i64, now: DateTime<Utc>) -> StoreResult<()>;
}
