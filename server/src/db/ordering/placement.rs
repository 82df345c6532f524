//! Ordering area, placing an order in one transaction: price guard, stock reserved with guarded
//! updates, credit guard, invoice and payment check, timeline, the cart emptied, the audit record
//! and the events (placed; over the credit limit, the head's approval).

use std::collections::HashMap;

use app::ports::{Actor, EventKind, NewOrder, PlaceError, StoreError};
use domain::ordering::{Fulfilment, LocationKind, StockAt, plan_reservation};
use domain::status::{OrderStatus, StatusMachine};
use sqlx::AssertSqlSafe;

use super::super::cart::cart_lookup;
use super::super::invoicing::open_payment_check;
use super::super::sql::*;
use super::super::{Db, SqlStore, audit, event, on_db};
use super::timeline::timeline;

fn place_err(e: sqlx::Error) -> PlaceError {
    PlaceError::Store(other(e))
}

pub(super) async fn place_order(store: &SqlStore, o: &NewOrder, actor: &Actor) -> Result<i64, PlaceError> {
    // A handful of statements whatever the number of lines (each line's reads and writes are
    // batched): on PostgreSQL the round trips, not the work, bound the order rate.
    let begin = store.begin_write();
    let postgres = matches!(store.db(), Db::Postgres(_));
    let today = o.now.with_timezone(&domain::locale::moscow()).date_naive();
    let mut ids: Vec<i64> = o.lines.iter().map(|l| l.product_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let id_vals: Vec<Val> = ids.iter().map(|id| Val::I(*id)).collect();
    let price_sql = format!(
        "SELECT p.id, {} FROM products p WHERE p.active AND p.id IN ({})",
        price_column(o.price_type),
        marks(1, ids.len(), 1)
    );
    let pickup = match (o.fulfilment, o.pickup_location_id) {
        (Fulfilment::Pickup, Some(location)) => Some(location),
        _ => None,
    };
    // Locked in one order (product, location) by every transaction, so concurrent orders cannot
    // deadlock on PostgreSQL; SQLite's write transaction already excludes the others.
    let stock_sql = format!(
        "SELECT s.product_id, s.location_id, s.quantity, l.kind FROM stock s JOIN stock_locations l ON l.id = s.location_id \
         WHERE s.quantity > 0 AND s.product_id IN ({}){} ORDER BY s.product_id, s.location_id{}",
        marks(1, ids.len(), 1),
        if pickup.is_some() { format!(" AND s.location_id = ${}", ids.len() + 1) } else { String::new() },
        if postgres { " FOR UPDATE OF s" } else { "" },
    );
    let mut stock_vals = id_vals.clone();
    stock_vals.extend(pickup.map(Val::I));
    on_db!(store.db(), pool => {
        let mut tx = pool.begin_with(begin).await.map_err(place_err)?;
        // Serialises orders of one client, so two orders cannot both pass the same credit check.
        sqlx::query("UPDATE organisations SET accumulated = accumulated WHERE id = $1")
            .bind(o.organisation_id).execute(&mut *tx).await.map_err(place_err)?;
        if let Some(seen) = o.credit_guard {
            let now_outstanding: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(amount - paid), 0) AS BIGINT) FROM invoices WHERE organisation_id = $1 AND paid < amount \
                 AND cancelled_at IS NULL")
                .bind(o.organisation_id).fetch_one(&mut *tx).await.map_err(place_err)?;
            if now_outstanding != seen {
                return Err(PlaceError::Changed);
            }
        }
        let prices: Vec<(i64, i64)> = bind_all!(sqlx::query_as(AssertSqlSafe(price_sql.as_str())), &id_vals)
            .fetch_all(&mut *tx).await.map_err(place_err)?;
        let prices: HashMap<i64, i64> = prices.into_iter().collect();
        if o.lines.iter().any(|l| prices.get(&l.product_id) != Some(&l.unit_price)) {
            return Err(PlaceError::Changed);
        }
        let stock: Vec<(i64, i64, i64, String)> = bind_all!(sqlx::query_as(AssertSqlSafe(stock_sql.as_str())), &stock_vals)
            .fetch_all(&mut *tx).await.map_err(place_err)?;
        let stock: Vec<StockAt> = stock
            .into_iter()
            .map(|(product_id, location_id, quantity, kind)| {
                let kind = LocationKind::parse(&kind).ok_or_else(|| corrupt("location kind", &kind))?;
                Ok(StockAt { product_id, location_id, kind, quantity })
            })
            .collect::<Result<_, StoreError>>()?;
        let wanted: Vec<(i64, i64)> = o.lines.iter().map(|l| (l.product_id, l.quantity)).collect();
        let plan = match plan_reservation(&wanted, &stock) {
            Ok(plan) => plan,
            Err(short) => return Err(PlaceError::OutOfStock(short)),
        };
        let order_id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (organisation_id, buyer_user_id, status, price_type, fulfilment, pickup_location_id, \
             delivery_address, payment_method, payment_status, gross, discount, total, vat, discount_sources, credit_check, \
             comment, created_at, updated_at, channel) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18) RETURNING id")
            .bind(o.organisation_id).bind(o.buyer_user_id).bind(o.status.code()).bind(price_type_code(o.price_type))
            .bind(o.fulfilment.code())
            .bind(o.pickup_location_id).bind(&o.delivery_address).bind(o.payment_method.code())
            .bind(o.payment_status.code()).bind(o.gross).bind(o.discount).bind(o.total).bind(o.vat)
            .bind(&o.discount_sources).bind(&o.credit_check).bind(&o.comment).bind(o.now).bind(o.channel.code())
            .fetch_one(&mut *tx).await.map_err(place_err)?;
        // The guard that makes overselling impossible even if the plan were stale: a row is only
        // taken from while enough is left, and every row of the plan must be taken from.
        let takes: Vec<Val> = plan.takes.iter().flat_map(|&(p, l, q)| [Val::I(p), Val::I(l), Val::I(q)]).collect();
        let taken = bind_all!(sqlx::query(AssertSqlSafe(format!(
            "UPDATE stock SET quantity = quantity - v.column3 FROM (VALUES {}) AS v \
             WHERE stock.product_id = v.column1 AND stock.location_id = v.column2 AND stock.quantity >= v.column3",
            marks(3, plan.takes.len(), 1)))), &takes)
            .execute(&mut *tx).await.map_err(place_err)?;
        if taken.rows_affected() != plan.takes.len() as u64 {
            return Err(PlaceError::Changed);
        }
        let mut reserved = vec![Val::I(order_id)];
        reserved.extend(takes);
        bind_all!(sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO stock_reservations (order_id, product_id, location_id, quantity) VALUES {}",
            (0..plan.takes.len()).map(|i| format!("($1, ${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4)).collect::<Vec<_>>().join(", ")))), &reserved)
            .execute(&mut *tx).await.map_err(place_err)?;
        let mut totals = vec![Val::T(o.now)];
        totals.extend(plan.per_product.iter().flat_map(|(p, q)| [Val::I(*p), Val::I(*q)]));
        bind_all!(sqlx::query(AssertSqlSafe(format!(
            "UPDATE products SET stock_total = stock_total - v.column2, updated_at = $1 FROM (VALUES {}) AS v \
             WHERE products.id = v.column1",
            marks(2, plan.per_product.len(), 2)))), &totals)
            .execute(&mut *tx).await.map_err(place_err)?;
        let mut line_vals = vec![Val::I(order_id)];
        for (i, line) in o.lines.iter().enumerate() {
            line_vals.extend([
                Val::I(i as i64 + 1), Val::I(line.product_id), Val::S(line.sku.clone()), Val::S(line.name.clone()),
                Val::S(unit_code(line.unit).to_string()), Val::I(line.quantity), Val::I(line.unit_price), Val::I(line.gross),
                Val::I(line.discount), Val::I(line.total), Val::I(line.vat), Val::Rate(vat_to(line.vat_rate)),
            ]);
        }
        bind_all!(sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit, quantity, unit_price, gross, discount, \
             total, vat, vat_rate) VALUES {}",
            (0..o.lines.len())
                .map(|i| format!("($1, {})", (0..12).map(|k| format!("${}", 12 * i + k + 2)).collect::<Vec<_>>().join(", ")))
                .collect::<Vec<_>>()
                .join(", ")))), &line_vals)
            .execute(&mut *tx).await.map_err(place_err)?;
        timeline!(tx, order_id, o.now, o.status.code(), "status", None::<String>, None::<String>, None::<String>, "",
            actor, None::<String>);
        if o.invoice {
            sqlx::query("INSERT INTO invoices (organisation_id, order_id, number, issued_on, amount) VALUES ($1, $2, $3, $4, $5)")
                .bind(o.organisation_id).bind(order_id).bind(domain::invoicing::invoice_number(order_id, today))
                .bind(today).bind(o.total).execute(&mut *tx).await.map_err(place_err)?;
            open_payment_check!(tx, order_id, o.channel.code(), o.check_due, o.now);
        }
        let (cart_sql, key) = cart_lookup(&o.cart);
        bind_all!(sqlx::query(AssertSqlSafe(format!("DELETE FROM cart_items WHERE cart_id IN ({cart_sql})"))), [&key])
            .execute(&mut *tx).await.map_err(place_err)?;
        let after = serde_json::json!({ "total": o.total, "status": o.status.code(), "lines": o.lines.len() }).to_string();
        audit!(tx, actor, o.now, "order.place", "order", Some(order_id), None::<String>, Some(after));
        event!(tx, EventKind::OrderPlaced, Some(order_id), actor.user_id, serde_json::json!({}), o.now);
        if o.status == OrderStatus::AwaitingApproval {
            let over = o.credit_check.as_deref()
                .and_then(|c| serde_json::from_str::<domain::credit::CreditCheck>(c).ok())
                .map_or(0, |c| c.shortfall);
            event!(tx, EventKind::ApprovalNeeded, Some(order_id), actor.user_id, serde_json::json!({ "amount": over }), o.now);
        }
        tx.commit().await.map_err(place_err)?;
        // Stock totals moved: this server's cached search answers are stale.
        store.search_cache.clear();
        Ok(order_id)
    })
}
