//! Ordering area, the sqlx implementation of `OrderStore`: placing an order (in `placement`),
//! moving it along its workflow (stock given back and money returned on cancel, in the same
//! transaction) and reading orders within reach.

use app::model::{
    OrderComment, OrderDetail, OrderFilter, OrderLineView, OrderQueue, OrderSummary, PaymentView, RefundView,
    ShipmentView,
};
use app::ports::{
    Actor, AssemblyChange, EventKind, NewComment, NewOrder, OrderState, OrderStore, PlaceError, Reach, StatusChange,
    StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::credit::CreditCheck;
use domain::ordering::assembly::MoveFill;
use domain::ordering::workflow::SalesChannel;
use domain::ordering::{Fulfilment, PaymentMethod, PaymentStatus};
use domain::payments::{AttemptStatus, order_payment};
use domain::status::{OrderStatus, StatusMachine};
use domain::{Quantity, Role};
use sqlx::AssertSqlSafe;

mod assembly;
mod channels;
mod comments;
mod placement;
mod queue;
pub(super) mod timeline;

use assembly::{rest_to_ship, ship};
use timeline::{EventRow, line_index, timeline};

use super::invoicing::{order_invoices, void_invoice};
use super::payments::{refund_cancelled, settle_order};
use super::sql::*;
use super::{SqlStore, audit, event, on_db};

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    organisation_id: i64,
    created_at: DateTime<Utc>,
    status: String,
    fulfilment: String,
    pickup_point: Option<String>,
    delivery_address: Option<String>,
    payment_method: String,
    payment_status: String,
    gross: i64,
    discount: i64,
    total: i64,
    vat: i64,
    comment: String,
    credit_check: Option<String>,
    channel: String,
    prepay: bool,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    product_id: i64,
    sku: String,
    name: String,
    unit: String,
    quantity: i64,
    picked: i64,
    shipped: i64,
    unit_price: i64,
    discount: i64,
    total: i64,
    vat: i64,
    vat_rate: Option<i32>,
}

#[async_trait]
impl OrderStore for SqlStore {
    async fn place_order(&self, o: &NewOrder, actor: &Actor) -> Result<i64, PlaceError> {
        placement::place_order(self, o, actor).await
    }

    async fn move_order(&self, c: &StatusChange, actor: &Actor) -> StoreResult<()> {
        let begin = self.begin_write();
        let released = on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            // Only from the status the caller checked: a concurrent move makes this one a conflict.
            // Nothing of a cancelled order may have left (the caller checked; this makes sure).
            let moved = sqlx::query(
                "UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4 \
                 AND NOT ($1 = 'cancelled' AND EXISTS (SELECT 1 FROM order_lines WHERE order_id = $3 AND shipped > 0))")
                .bind(c.to.code()).bind(c.now).bind(c.order_id).bind(c.from.code())
                .execute(&mut *tx).await.map_err(other)?;
            if moved.rows_affected() != 1 {
                return Err(StoreError::Conflict("status"));
            }
            let mut held: Vec<(i64, i64, i64)> = Vec::new();
            if c.to == OrderStatus::Cancelled {
                // Back to the rows they were taken from, in the (product, location) order every
                // writer locks stock in, so this cannot deadlock with a checkout on PostgreSQL.
                held = sqlx::query_as(
                    "SELECT product_id, location_id, quantity FROM stock_reservations WHERE order_id = $1 \
                     ORDER BY product_id, location_id")
                    .bind(c.order_id).fetch_all(&mut *tx).await.map_err(other)?;
                for (product, location, quantity) in &held {
                    sqlx::query(
                        "INSERT INTO stock (product_id, location_id, quantity) VALUES ($1, $2, $3) \
                         ON CONFLICT (product_id, location_id) DO UPDATE SET quantity = stock.quantity + excluded.quantity")
                        .bind(product).bind(location).bind(quantity).execute(&mut *tx).await.map_err(other)?;
                    sqlx::query("UPDATE products SET stock_total = stock_total + $1, updated_at = $2 WHERE id = $3")
                        .bind(quantity).bind(c.now).bind(product).execute(&mut *tx).await.map_err(other)?;
                }
                sqlx::query("DELETE FROM stock_reservations WHERE order_id = $1")
                    .bind(c.order_id).execute(&mut *tx).await.map_err(other)?;
                // An open payment attempt of a cancelled order takes no money any more.
                let open = sqlx::query(
                    "UPDATE payments SET status = 'cancelled', updated_at = $1 WHERE order_id = $2 AND status = 'pending'")
                    .bind(c.now).bind(c.order_id).execute(&mut *tx).await.map_err(other)?;
                if open.rows_affected() > 0 {
                    settle_order!(tx, c.order_id, c.now);
                }
                // What was paid goes back (in the same transaction; the provider is asked after it).
                refund_cancelled!(tx, c.order_id, c.now);
                void_invoice!(tx, c.order_id, c.now, actor.user_id);
            }
            match c.fill {
                MoveFill::Nothing => {}
                MoveFill::PickAll => {
                    sqlx::query("UPDATE order_lines SET picked = quantity WHERE order_id = $1")
                        .bind(c.order_id).execute(&mut *tx).await.map_err(other)?;
                }
                MoveFill::ShipRest => {
                    // What is left leaves in a last shipment (or is handed over at the point or till).
                    let rest = rest_to_ship!(tx, c.order_id);
                    if !rest.is_empty() {
                        ship!(tx, c.order_id, &rest, c.from.code(), "", actor, c.now);
                    }
                    sqlx::query("UPDATE order_lines SET picked = quantity, shipped = quantity WHERE order_id = $1")
                        .bind(c.order_id).execute(&mut *tx).await.map_err(other)?;
                }
            }
            timeline!(tx, c.order_id, c.now, c.to.code(), "status", None::<String>, None::<String>, None::<String>, &c.note,
                actor, Some(c.from.code()));
            let before = serde_json::json!({ "status": c.from.code() }).to_string();
            let after = serde_json::json!({ "status": c.to.code(), "note": c.note, "released": held.len() }).to_string();
            audit!(tx, actor, c.now, "order.status", "order", Some(c.order_id), Some(before), Some(after));
            // A head's decision on an order over the credit limit is told as such.
            let kind = match (c.from, c.to) {
                (OrderStatus::AwaitingApproval, OrderStatus::Cancelled) => EventKind::OrderRejected,
                (OrderStatus::AwaitingApproval, _) => EventKind::OrderApproved,
                _ => EventKind::OrderStatus,
            };
            let data = serde_json::json!({ "status": c.to.code(), "reason": c.note });
            event!(tx, kind, Some(c.order_id), actor.user_id, data, c.now);
            tx.commit().await.map_err(other)?;
            Ok(!held.is_empty())
        })?;
        if released {
            // Stock totals moved: this server's cached search answers are stale.
            self.search_cache.clear();
        }
        Ok(())
    }

    async fn add_order_comment(&self, c: &NewComment, now: DateTime<Utc>) -> StoreResult<()> {
        comments::add_order_comment(self, c, now).await
    }

    async fn change_assembly(&self, c: &AssemblyChange, actor: &Actor) -> StoreResult<()> {
        assembly::change_assembly(self, c, actor).await?;
        Ok(())
    }

    async fn order_queue(&self, reach: &Reach, f: &OrderFilter, per_page: i64) -> StoreResult<OrderQueue> {
        queue::order_queue(self, reach, f, per_page).await
    }

    async fn unpaid_since(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<Vec<i64>> {
        on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT id FROM orders WHERE status = 'new' AND payment_method = 'online' AND payment_status <> 'paid' \
             AND created_at < $1 ORDER BY id LIMIT $2")
            .bind(cutoff).bind(limit).fetch_all(pool).await.map_err(other))
    }

    async fn orders(&self, reach: &Reach) -> StoreResult<Vec<OrderSummary>> {
        let (within, bind) = reach_clause(reach, "o.organisation_id", "o.buyer_user_id", 1);
        let sql = format!(
            "SELECT o.id, o.created_at, o.status, o.payment_status, o.total, \
             (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) FROM orders o \
             WHERE {within} ORDER BY o.created_at DESC, o.id DESC LIMIT 500"
        );
        let rows: Vec<(i64, DateTime<Utc>, String, String, i64, i64)> = on_db!(self.db(), pool => {
            let query = sqlx::query_as(AssertSqlSafe(sql.clone()));
            match bind { Some(v) => query.bind(v), None => query }.fetch_all(pool).await.map_err(other)?
        });
        rows.into_iter()
            .map(|(id, created_at, status, payment, total, lines)| {
                Ok(OrderSummary {
                    id,
                    created_at,
                    status: decode(&status, OrderStatus::parse, "order status")?,
                    payment_status: decode(&payment, PaymentStatus::parse, "payment status")?,
                    total,
                    lines,
                })
            })
            .collect()
    }

    async fn order_state(&self, id: i64, reach: &Reach) -> StoreResult<Option<OrderState>> {
        let (within, bind) = reach_clause(reach, "o.organisation_id", "o.buyer_user_id", 2);
        let sql = format!(
            "SELECT o.channel, o.status, o.fulfilment, o.payment_method, o.payment_status, \
             EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.shipped > 0), \
             COALESCE((SELECT c.prepay FROM sales_channels c WHERE c.channel = o.channel), FALSE) \
             FROM orders o WHERE o.id = $1 AND {within}"
        );
        let row: Option<(String, String, String, String, String, bool, bool)> = on_db!(self.db(), pool => {
            let query = sqlx::query_as(AssertSqlSafe(sql.clone())).bind(id);
            match bind { Some(v) => query.bind(v), None => query }.fetch_optional(pool).await.map_err(other)?
        });
        let Some((channel, status, fulfilment, method, paid, shipped, prepay)) = row else { return Ok(None) };
        Ok(Some(OrderState {
            channel: decode(&channel, SalesChannel::parse, "sales channel")?,
            status: decode(&status, OrderStatus::parse, "order status")?,
            facts: domain::ordering::workflow::OrderFacts {
                fulfilment: decode(&fulfilment, Fulfilment::parse, "fulfilment")?,
                payment_method: decode(&method, PaymentMethod::parse, "payment method")?,
                payment_status: decode(&paid, PaymentStatus::parse, "payment status")?,
                shipped,
                prepay,
            },
        }))
    }

    async fn order(&self, id: i64, reach: &Reach) -> StoreResult<Option<OrderDetail>> {
        let (within, bind) = reach_clause(reach, "o.organisation_id", "o.buyer_user_id", 2);
        let sql = format!(
            "SELECT o.id, o.organisation_id, o.created_at, o.status, o.fulfilment, l.name AS pickup_point, \
             o.delivery_address, o.payment_method, o.payment_status, o.gross, o.discount, o.total, o.vat, o.comment, \
             o.credit_check, o.channel, \
             COALESCE((SELECT c.prepay FROM sales_channels c WHERE c.channel = o.channel), FALSE) AS prepay \
             FROM orders o LEFT JOIN stock_locations l ON l.id = o.pickup_location_id \
             WHERE o.id = $1 AND {within}"
        );
        on_db!(self.db(), pool => {
            let query = sqlx::query_as(AssertSqlSafe(sql.clone())).bind(id);
            let row: Option<OrderRow> =
                match bind { Some(v) => query.bind(v), None => query }.fetch_optional(pool).await.map_err(other)?;
            let Some(o) = row else { return Ok(None) };
            let lines: Vec<LineRow> = sqlx::query_as(
                "SELECT product_id, sku, name, unit, quantity, picked, shipped, unit_price, discount, total, vat, vat_rate \
                 FROM order_lines \
                 WHERE order_id = $1 ORDER BY line_no")
                .bind(id).fetch_all(pool).await.map_err(other)?;
            let events: Vec<EventRow> = sqlx::query_as(
                "SELECT e.at, e.status, e.kind, e.field, e.before_value, e.after_value, e.previous_status, e.via, e.note, \
                 u.name, u.role FROM order_events e \
                 LEFT JOIN users u ON u.id = e.actor_user_id WHERE e.order_id = $1 ORDER BY e.at, e.id")
                .bind(id).fetch_all(pool).await.map_err(other)?;
            // Shipments exist only once something has shipped, refunds only for cancelled orders:
            // most orders are read without asking (fewer round trips on every move's answer).
            let mut shipments: Vec<(i64, i64, DateTime<Utc>, Option<String>, String)> = Vec::new();
            let mut shipped: Vec<(i64, i64, i64)> = Vec::new();
            if lines.iter().any(|l| l.shipped > 0) {
                shipments = sqlx::query_as(
                    "SELECT s.id, CAST(s.number AS BIGINT), s.at, u.name, s.note FROM order_shipments s \
                     LEFT JOIN users u ON u.id = s.actor_user_id WHERE s.order_id = $1 ORDER BY s.number")
                    .bind(id).fetch_all(pool).await.map_err(other)?;
                shipped = sqlx::query_as(
                    "SELECT sl.shipment_id, CAST(sl.line_no AS BIGINT), sl.quantity FROM order_shipment_lines sl \
                     JOIN order_shipments s ON s.id = sl.shipment_id WHERE s.order_id = $1 ORDER BY sl.line_no")
                    .bind(id).fetch_all(pool).await.map_err(other)?;
            }
            let mut refunds: Vec<(i64, String, DateTime<Utc>, DateTime<Utc>)> = Vec::new();
            if o.status == OrderStatus::Cancelled.code() {
                refunds = sqlx::query_as(
                    "SELECT amount, status, created_at, updated_at FROM refunds WHERE order_id = $1 ORDER BY id")
                    .bind(id).fetch_all(pool).await.map_err(other)?;
            }
            let comments: Vec<(DateTime<Utc>, String, String, String, bool)> = sqlx::query_as(
                "SELECT c.at, u.name, u.role, c.body, c.for_buyer FROM order_comments c \
                 JOIN users u ON u.id = c.author_user_id WHERE c.order_id = $1 ORDER BY c.at, c.id")
                .bind(id).fetch_all(pool).await.map_err(other)?;
            let payments: Vec<(i64, String, i64, String, DateTime<Utc>)> = sqlx::query_as(
                "SELECT id, provider, amount, status, created_at FROM payments WHERE order_id = $1 ORDER BY id")
                .bind(id).fetch_all(pool).await.map_err(other)?;
            let invoices = order_invoices!(pool, id);
            Ok(Some(OrderDetail {
                id: o.id,
                organisation_id: o.organisation_id,
                created_at: o.created_at,
                channel: decode(&o.channel, SalesChannel::parse, "sales channel")?,
                status: decode(&o.status, OrderStatus::parse, "order status")?,
                fulfilment: decode(&o.fulfilment, Fulfilment::parse, "fulfilment")?,
                pickup_point: o.pickup_point,
                delivery_address: o.delivery_address,
                payment_method: decode(&o.payment_method, PaymentMethod::parse, "payment method")?,
                payment_status: decode(&o.payment_status, PaymentStatus::parse, "payment status")?,
                gross: o.gross,
                discount: o.discount,
                total: o.total,
                vat: o.vat,
                comment: o.comment,
                credit_check: o.credit_check.as_deref().and_then(|c| serde_json::from_str::<CreditCheck>(c).ok()),
                lines: lines
                    .into_iter()
                    .map(|l| {
                        let unit = parse_unit(&l.unit);
                        Quantity::from_thousandths(l.quantity, unit)
                            .map_err(|_| corrupt("order line quantity", &l.quantity.to_string()))?;
                        Ok(OrderLineView {
                            product_id: l.product_id,
                            sku: l.sku,
                            name: l.name,
                            unit,
                            quantity: l.quantity,
                            picked: l.picked,
                            shipped: l.shipped,
                            unit_price: l.unit_price,
                            discount: l.discount,
                            total: l.total,
                            vat_rate: vat_from(l.vat_rate),
                            vat: l.vat,
                        })
                    })
                    .collect::<StoreResult<_>>()?,
                events: events.into_iter().map(EventRow::read).collect::<StoreResult<_>>()?,
                shipments: shipments
                    .into_iter()
                    .map(|(sid, number, at, by, note)| {
                        let lines = shipped.iter().filter(|l| l.0 == sid).map(|l| (line_index(l.1), l.2)).collect();
                        ShipmentView { number, at, by, note, lines }
                    })
                    .collect(),
                comments: comments
                    .into_iter()
                    .map(|(at, name, role, body, for_buyer)| {
                        Ok(OrderComment { at, by: (name, decode(&role, Role::parse, "role")?), body, for_buyer })
                    })
                    .collect::<StoreResult<_>>()?,
                refunds: refunds
                    .into_iter()
                    .map(|(amount, status, requested_at, updated_at)| RefundView {
                        amount,
                        done: status == "succeeded",
                        requested_at,
                        done_at: (status == "succeeded").then_some(updated_at),
                    })
                    .collect(),
                payments: payments
                    .into_iter()
                    .map(|(id, provider, amount, status, created_at)| {
                        let status = decode(&status, AttemptStatus::parse, "payment attempt status")?;
                        Ok(PaymentView { id, provider, amount, status, created_at })
                    })
                    .collect::<StoreResult<_>>()?,
                invoices,
                prepay: o.prepay,
                may_record_payment: false,
                may_schedule: false,
                client_manager: None,
                payable_online: false,
                moves: Vec::new(),
                hold_until: None,
            }))
        })
    }

    async fn sales_channels(&self) -> StoreResult<Vec<app::model::ChannelSettings>> {
        channels::sales_channels(self).await
    }

    async fn set_channel_prepay(
        &self,
        channel: SalesChannel,
        prepay: bool,
        due_on: NaiveDate,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        channels::set_channel_prepay(self, channel, prepay, due_on, actor, now).await
    }

    async fn order_lines_for_repeat(&self, id: i64, reach: &Reach) -> StoreResult<Vec<(i64, i64)>> {
        let (within, bind) = reach_clause(reach, "o.organisation_id", "o.buyer_user_id", 2);
        let sql = format!(
            "SELECT l.product_id, l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id \
             WHERE o.id = $1 AND {within} ORDER BY l.line_no"
        );
        on_db!(self.db(), pool => {
            let query = sqlx::query_as(AssertSqlSafe(sql.clone())).bind(id);
            match bind { Some(v) => query.bind(v), None => query }.fetch_all(pool).await.map_err(other)
        })
    }
}
