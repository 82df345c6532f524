//! Ordering area, storage of assembly and shipments: picked quantities and shipments recorded
//! against the lines as the staff member saw them (a line changed meanwhile makes it a conflict),
//! a shipment stops holding what left, and every change lands in the order's timeline.

use app::ports::{Actor, AssemblyChange, EventKind, StoreError, StoreResult};
use domain::status::StatusMachine;

use super::super::sql::*;
use super::super::{SqlStore, audit, event, on_db};
use super::timeline::timeline;

/// Records a shipment of `$lines` (line number, product id, quantity) of the order: its number,
/// its lines, the timeline entry; the reservations stop holding what left (by location, in the
/// order every writer takes them). Answers the shipment's number.
macro_rules! ship {
    ($tx:ident, $order_id:expr, $lines:expr, $status:expr, $note:expr, $actor:expr, $now:expr) => {{
        let number: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM order_shipments WHERE order_id = $1",
        )
        .bind($order_id)
        .fetch_one(&mut *$tx)
        .await
        .map_err(other)?;
        let shipment: i64 = sqlx::query_scalar(
            "INSERT INTO order_shipments (order_id, number, at, actor_user_id, note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind($order_id)
        .bind(number)
        .bind($now)
        .bind($actor.user_id)
        .bind($note)
        .fetch_one(&mut *$tx)
        .await
        .map_err(other)?;
        for &(line_no, product_id, quantity) in $lines {
            sqlx::query("INSERT INTO order_shipment_lines (shipment_id, line_no, quantity) VALUES ($1, $2, $3)")
                .bind(shipment)
                .bind(line_no)
                .bind(quantity)
                .execute(&mut *$tx)
                .await
                .map_err(other)?;
            let held: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT location_id, quantity FROM stock_reservations WHERE order_id = $1 AND product_id = $2 ORDER BY location_id",
            )
            .bind($order_id)
            .bind(product_id)
            .fetch_all(&mut *$tx)
            .await
            .map_err(other)?;
            let mut left: i64 = quantity;
            for (location, held) in held {
                if left == 0 {
                    break;
                }
                let take = held.min(left);
                left -= take;
                let sql = if take == held {
                    "DELETE FROM stock_reservations WHERE order_id = $1 AND product_id = $2 AND location_id = $3 AND $4 > 0"
                } else {
                    "UPDATE stock_reservations SET quantity = quantity - $4 WHERE order_id = $1 AND product_id = $2 AND location_id = $3"
                };
                sqlx::query(sql)
                    .bind($order_id)
                    .bind(product_id)
                    .bind(location)
                    .bind(take)
                    .execute(&mut *$tx)
                    .await
                    .map_err(other)?;
            }
        }
        timeline!($tx, $order_id, $now, $status, "shipment", Some(number.to_string()), None::<String>, None::<String>,
            $note, $actor, None::<String>);
        number
    }};
}
pub(crate) use ship;

/// What a move to "shipped" or "completed" leaves to ship: (line number, product id, quantity).
macro_rules! rest_to_ship {
    ($tx:ident, $order_id:expr) => {{
        let rest: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT CAST(line_no AS BIGINT), product_id, quantity - shipped FROM order_lines \
             WHERE order_id = $1 AND shipped < quantity ORDER BY line_no",
        )
        .bind($order_id)
        .fetch_all(&mut *$tx)
        .await
        .map_err(other)?;
        rest
    }};
}
pub(crate) use rest_to_ship;

pub(super) async fn change_assembly(store: &SqlStore, c: &AssemblyChange, actor: &Actor) -> StoreResult<()> {
    let begin = store.begin_write();
    let last = c.moves.last().copied().unwrap_or(c.status);
    on_db!(store.db(), pool => {
        let mut tx = pool.begin_with(begin).await.map_err(other)?;
        // The order first (it serialises every change of this order), then each changed line only
        // if it is still as the caller saw it.
        let moved = sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(last.code()).bind(c.now).bind(c.order_id).bind(c.status.code())
            .execute(&mut *tx).await.map_err(other)?;
        if moved.rows_affected() != 1 {
            return Err(StoreError::Conflict("status"));
        }
        let products: Vec<(i64, i64)> =
            sqlx::query_as("SELECT CAST(line_no AS BIGINT), product_id FROM order_lines WHERE order_id = $1 ORDER BY line_no")
                .bind(c.order_id).fetch_all(&mut *tx).await.map_err(other)?;
        if products.len() != c.seen.len() || c.after.len() != c.seen.len() {
            return Err(StoreError::Conflict("lines"));
        }
        let mut shipped = Vec::new();
        for (i, (seen, after)) in c.seen.iter().zip(&c.after).enumerate() {
            if seen == after {
                continue;
            }
            let line_no = products[i].0;
            let updated = sqlx::query(
                "UPDATE order_lines SET picked = $1, shipped = $2 WHERE order_id = $3 AND line_no = $4 \
                 AND quantity = $5 AND picked = $6 AND shipped = $7")
                .bind(after.picked).bind(after.shipped).bind(c.order_id).bind(line_no)
                .bind(seen.quantity).bind(seen.picked).bind(seen.shipped)
                .execute(&mut *tx).await.map_err(other)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict("lines"));
            }
            if c.shipment {
                shipped.push((line_no, products[i].1, after.shipped - seen.shipped));
            } else {
                timeline!(tx, c.order_id, c.now, c.status.code(), "picked", Some(line_no.to_string()),
                    Some(seen.picked.to_string()), Some(after.picked.to_string()), "", actor, None::<String>);
            }
        }
        let number = if c.shipment && !shipped.is_empty() {
            Some(ship!(tx, c.order_id, &shipped, c.status.code(), &c.note, actor, c.now))
        } else {
            None
        };
        let mut from = c.status;
        for to in &c.moves {
            timeline!(tx, c.order_id, c.now, to.code(), "status", None::<String>, None::<String>, None::<String>, "",
                actor, Some(from.code()));
            from = *to;
        }
        let action = if c.shipment { "order.shipment" } else { "order.assembly" };
        let after = serde_json::json!({
            "lines": c.after.iter().map(|l| [l.picked, l.shipped]).collect::<Vec<_>>(),
            "shipment": number,
            "status": last.code(),
        })
        .to_string();
        audit!(tx, actor, c.now, action, "order", Some(c.order_id), None::<String>, Some(after));
        if last != c.status {
            event!(tx, EventKind::OrderStatus, Some(c.order_id), actor.user_id, serde_json::json!({ "status": last.code() }), c.now);
        } else if let Some(number) = number {
            // Part of the order left and the rest follows: the buyer hears of it.
            let shipped = domain::ordering::assembly::shares(&c.after).shipped;
            let data = serde_json::json!({ "number": number, "shipped": shipped });
            event!(tx, EventKind::OrderShipment, Some(c.order_id), actor.user_id, data, c.now);
        }
        tx.commit().await.map_err(other)?;
        Ok(())
    })
}

impl SqlStore {
    /// Orders changed after `since` (any change of status, lines or payment touches
    /// `updated_at`), oldest first: (id, updated_at). The live order pages' watcher asks this.
    pub async fn orders_changed_since(
        &self,
        since: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<(i64, chrono::DateTime<chrono::Utc>)>> {
        on_db!(self.db(), pool => sqlx::query_as(
            "SELECT id, updated_at FROM orders WHERE updated_at > $1 ORDER BY updated_at LIMIT 2000")
            .bind(since).fetch_all(pool).await.map_err(other))
    }
}
