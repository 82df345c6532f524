//! Cart area, the sqlx implementation of `CartStore`: the user's or the guest browser's cart.

use app::ports::{CartOwner, CartStore, ProductRecord, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::Quantity;
use sqlx::AssertSqlSafe;

use super::catalog::{PRODUCT_COLUMNS, ProductRow};

use super::sql::*;
use super::{Db, SqlStore, on_db};

impl SqlStore {
    async fn cart_id(&self, owner: &CartOwner) -> StoreResult<Option<i64>> {
        let (sql, key) = cart_lookup(owner);
        on_db!(self.db(), pool => bind_all!(sqlx::query_scalar(sql), [&key]).fetch_optional(pool).await.map_err(other))
    }
}

pub(super) fn cart_lookup(owner: &CartOwner) -> (&'static str, Val) {
    match owner {
        CartOwner::User(id) => ("SELECT id FROM carts WHERE user_id = $1", Val::I(*id)),
        CartOwner::Guest(hash) => ("SELECT id FROM carts WHERE guest_token_hash = $1", Val::S(hash.clone())),
    }
}

fn cart_upsert(owner: &CartOwner) -> (&'static str, Val) {
    match owner {
        CartOwner::User(id) => (
            "INSERT INTO carts (user_id, updated_at) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            Val::I(*id),
        ),
        CartOwner::Guest(hash) => (
            "INSERT INTO carts (guest_token_hash, updated_at) VALUES ($1, $2) \
             ON CONFLICT (guest_token_hash) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            Val::S(hash.clone()),
        ),
    }
}

#[async_trait]
impl CartStore for SqlStore {
    async fn cart_items(&self, owner: &CartOwner) -> StoreResult<Vec<(ProductRecord, i64)>> {
        let Some(cart) = self.cart_id(owner).await? else { return Ok(Vec::new()) };
        let sql = format!(
            "SELECT {PRODUCT_COLUMNS}, '' AS description, i.quantity AS cart_quantity FROM cart_items i \
             JOIN products p ON p.id = i.product_id JOIN categories c ON c.id = p.category_id \
             WHERE i.cart_id = $1 ORDER BY i.added_at, p.id"
        );
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            product: ProductRow,
            cart_quantity: i64,
        }
        let rows: Vec<Row> = on_db!(self.db(), pool => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(cart).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(|r| (r.product.record(), r.cart_quantity)).collect())
    }

    async fn cart_put(
        &self,
        owner: &CartOwner,
        product_id: i64,
        quantity: i64,
        replace: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (upsert, key) = cart_upsert(owner);
        let item = if replace {
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity"
        } else {
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = MIN(cart_items.quantity + excluded.quantity, $5)"
        };
        let item = match (self.db(), replace) {
            (Db::Postgres(_), false) => item.replace("MIN(", "LEAST("),
            _ => item.to_string(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let cart: i64 = bind_all!(sqlx::query_scalar(upsert), [&key]).bind(now).fetch_one(&mut *tx).await.map_err(other)?;
            if quantity <= 0 {
                sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2")
                    .bind(cart).bind(product_id).execute(&mut *tx).await.map_err(other)?;
            } else {
                let query = sqlx::query(AssertSqlSafe(item.as_str())).bind(cart).bind(product_id).bind(quantity).bind(now);
                let query = if replace { query } else { query.bind(Quantity::MAX_THOUSANDTHS) };
                query.execute(&mut *tx).await.map_err(|e| match &e {
                        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound,
                        _ => other(e),
                    })?;
            }
            tx.commit().await.map_err(other)
        })
    }

    async fn cart_merge(&self, guest_hash: &str, user_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let Some(guest) = self.cart_id(&CartOwner::Guest(guest_hash.to_string())).await? else { return Ok(()) };
        let (upsert, _) = cart_upsert(&CartOwner::User(user_id));
        // Quantities add up, within the one cap on a quantity.
        let merge = "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) \
             SELECT $1, product_id, quantity, added_at FROM cart_items WHERE cart_id = $2 \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = MIN(cart_items.quantity + excluded.quantity, $3)";
        let merge = match self.db() {
            Db::Postgres(_) => merge.replace("MIN(", "LEAST("),
            Db::Sqlite(_) => merge.to_string(),
        };
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let cart: i64 = sqlx::query_scalar(upsert).bind(user_id).bind(now).fetch_one(&mut *tx).await.map_err(other)?;
            sqlx::query(AssertSqlSafe(merge.as_str()))
                .bind(cart).bind(guest).bind(Quantity::MAX_THOUSANDTHS).execute(&mut *tx).await.map_err(other)?;
            sqlx::query("DELETE FROM cart_items WHERE cart_id = $1").bind(guest).execute(&mut *tx).await.map_err(other)?;
            sqlx::query("DELETE FROM carts WHERE id = $1").bind(guest).execute(&mut *tx).await.map_err(other)?;
            tx.commit().await.map_err(other)
        })
    }
}
