//! Ordering area, storage of an order's comments: each one with the event that tells those it
//! concerns, in one transaction.

use app::ports::{EventKind, NewComment, StoreResult};
use chrono::{DateTime, Utc};

use super::super::sql::*;
use super::super::{SqlStore, event, on_db};

pub(super) async fn add_order_comment(store: &SqlStore, c: &NewComment, now: DateTime<Utc>) -> StoreResult<()> {
    let begin = store.begin_write();
    on_db!(store.db(), pool => {
        let mut tx = pool.begin_with(begin).await.map_err(other)?;
        sqlx::query("INSERT INTO order_comments (order_id, at, author_user_id, body, for_buyer) VALUES ($1, $2, $3, $4, $5)")
            .bind(c.order_id).bind(now).bind(c.author).bind(&c.body).bind(c.for_buyer)
            .execute(&mut *tx).await.map_err(other)?;
        // What the message says, shortened for a notification.
        let text: String = c.body.chars().take(300).collect();
        let data = serde_json::json!({
            "text": text, "author": c.author_name, "for_buyer": c.for_buyer, "by_staff": c.by_staff,
        });
        event!(tx, EventKind::OrderComment, Some(c.order_id), Some(c.author), data, now);
        tx.commit().await.map_err(other)?;
        Ok(())
    })
}
