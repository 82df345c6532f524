//! Payments area, the sqlx implementation of `PaymentStore`: payment attempts, refunds and the
//! provider's reports, each applied once.

use app::ports::{
    Actor, EventKind, PaymentOutcome, PaymentRecord, PaymentStore, RefundRequest, StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::ordering::PaymentStatus;
use domain::payments::{AttemptStatus, Report, order_payment};

use super::sql::*;
use super::{SqlStore, audit, event, on_db};

/// Sets the order's payment status from all its attempts (`domain::payments::order_payment`)
/// inside the transaction `$tx`; evaluates to the status.
macro_rules! settle_order {
    ($tx:ident, $order_id:expr, $now:expr) => {{
        let attempts: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, amount FROM payments WHERE order_id = $1 ORDER BY id")
                .bind($order_id)
                .fetch_all(&mut *$tx)
                .await
                .map_err(other)?;
        let attempts = attempts
            .iter()
            .map(|(s, amount)| Ok((decode(s, AttemptStatus::parse, "payment attempt status")?, *amount)))
            .collect::<StoreResult<Vec<_>>>()?;
        let total: i64 = sqlx::query_scalar("SELECT total FROM orders WHERE id = $1")
            .bind($order_id)
            .fetch_one(&mut *$tx)
            .await
            .map_err(other)?;
        let status = order_payment(&attempts, total);
        sqlx::query("UPDATE orders SET payment_status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind($now)
            .bind($order_id)
            .execute(&mut *$tx)
            .await
            .map_err(other)?;
        status
    }};
}

pub(crate) use settle_order;

/// Inside the transaction `$tx` that cancels an order (or records a late payment of a cancelled
/// one): a refund of what each payment still holds (`domain::payments::cancellation_refunds`),
/// once per payment (its key), and the order no longer counts towards the buyer's loyalty (what it
/// added, `orders.loyalty_accrued`, is taken back exactly). The providers are asked after the commit.
macro_rules! refund_cancelled {
    ($tx:ident, $order_id:expr, $now:expr) => {{
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT y.id, y.status, y.amount, \
             CAST(COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.payment_id = y.id), 0) AS BIGINT) \
             FROM payments y WHERE y.order_id = $1 ORDER BY y.id",
        )
        .bind($order_id)
        .fetch_all(&mut *$tx)
        .await
        .map_err(other)?;
        let attempts = rows
            .iter()
            .map(|(_, s, amount, refunded)| {
                Ok((decode(s, AttemptStatus::parse, "payment attempt status")?, *amount, *refunded))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        for (i, amount) in domain::payments::cancellation_refunds(&attempts) {
            let payment_id = rows[i].0;
            sqlx::query(
                "INSERT INTO refunds (order_id, payment_id, idempotency_key, amount, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'requested', $5, $5) ON CONFLICT (idempotency_key) DO NOTHING",
            )
            .bind($order_id)
            .bind(payment_id)
            .bind(format!("cancel:{payment_id}"))
            .bind(amount)
            .bind($now)
            .execute(&mut *$tx)
            .await
            .map_err(other)?;
        }
        sqlx::query(
            "UPDATE organisations SET accumulated = accumulated - (SELECT loyalty_accrued FROM orders WHERE id = $1) \
             WHERE id = (SELECT organisation_id FROM orders WHERE id = $1 AND loyalty_accrued > 0)",
        )
        .bind($order_id)
        .execute(&mut *$tx)
        .await
        .map_err(other)?;
        sqlx::query("UPDATE orders SET loyalty_accrued = 0 WHERE id = $1 AND loyalty_accrued > 0")
            .bind($order_id)
            .execute(&mut *$tx)
            .await
            .map_err(other)?;
    }};
}

pub(crate) use refund_cancelled;

#[async_trait]
impl PaymentStore for SqlStore {
    async fn create_payment(
        &self,
        order_id: i64,
        provider: &str,
        external_id: &str,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let begin = self.begin_write();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            // A new attempt replaces the open one: its page no longer takes a card.
            sqlx::query("UPDATE payments SET status = 'cancelled', updated_at = $1 WHERE order_id = $2 AND status = 'pending'")
                .bind(now).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO payments (order_id, provider, external_id, amount, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'pending', $5, $5) RETURNING id")
                .bind(order_id).bind(provider).bind(external_id).bind(amount).bind(now)
                .fetch_one(&mut *tx).await.map_err(other)?;
            settle_order!(tx, order_id, now);
            tx.commit().await.map_err(other)?;
            Ok(id)
        })
    }

    async fn payment(&self, provider: &str, external_id: &str) -> StoreResult<Option<PaymentRecord>> {
        let row: Option<(i64, i64, i64, String, String, i64, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT y.id, y.order_id, o.organisation_id, y.provider, y.external_id, y.amount, y.status \
             FROM payments y JOIN orders o ON o.id = y.order_id WHERE y.provider = $1 AND y.external_id = $2")
            .bind(provider).bind(external_id).fetch_optional(pool).await.map_err(other)?);
        row.map(|(id, order_id, organisation_id, provider, external_id, amount, status)| {
            Ok(PaymentRecord {
                id,
                order_id,
                organisation_id,
                provider,
                external_id,
                amount,
                status: decode(&status, AttemptStatus::parse, "payment attempt status")?,
            })
        })
        .transpose()
    }

    async fn apply_payment_event(
        &self,
        provider: &str,
        event_id: &str,
        external_id: &str,
        outcome: PaymentOutcome,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let begin = self.begin_write();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let fresh = sqlx::query(
                "INSERT INTO payment_events (provider, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(provider).bind(event_id).bind(now).execute(&mut *tx).await.map_err(other)?;
            if fresh.rows_affected() == 0 {
                return Ok(false);
            }
            let payment: Option<(i64, i64, i64, String)> = sqlx::query_as(
                "SELECT id, order_id, amount, status FROM payments WHERE provider = $1 AND external_id = $2")
                .bind(provider).bind(external_id).fetch_optional(&mut *tx).await.map_err(other)?;
            let (payment_id, order_id, expected, current) = payment.ok_or(StoreError::NotFound)?;
            if expected != amount {
                return Err(StoreError::Conflict("amount"));
            }
            let current = decode(&current, AttemptStatus::parse, "payment attempt status")?;
            let report = match outcome {
                PaymentOutcome::Succeeded => Report::Succeeded,
                PaymentOutcome::Declined => Report::Declined,
                // A refund's report names a refund, not a payment.
                PaymentOutcome::Refunded => return Err(StoreError::Conflict("kind")),
            };
            let next = current.after(report);
            if next == current {
                // A success stays a success; a decline of a cancelled attempt changes nothing.
                tx.commit().await.map_err(other)?;
                return Ok(false);
            }
            sqlx::query("UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(next.code()).bind(now).bind(payment_id).execute(&mut *tx).await.map_err(other)?;
            let paid = settle_order!(tx, order_id, now) == PaymentStatus::Paid;
            let note = if next == AttemptStatus::Succeeded { "payment.succeeded" } else { "payment.declined" };
            sqlx::query("INSERT INTO order_events (order_id, at, status, note, via) SELECT id, $1, status, $2, 'payment' FROM orders WHERE id = $3")
                .bind(now).bind(note).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            if paid {
                // Paid purchases count towards the retail loyalty tiers: once per order, the first
                // time it is paid, by what it cost (kept, so a refund takes back exactly that).
                let first = sqlx::query(
                    "UPDATE orders SET loyalty_accrued = total WHERE id = $1 AND loyalty_accrued IS NULL \
                     AND organisation_id IN (SELECT id FROM organisations WHERE kind = 'person')")
                    .bind(order_id).execute(&mut *tx).await.map_err(other)?;
                if first.rows_affected() == 1 {
                    sqlx::query("UPDATE organisations SET accumulated = accumulated + \
                         (SELECT loyalty_accrued FROM orders WHERE id = $1) \
                         WHERE id = (SELECT organisation_id FROM orders WHERE id = $1)")
                        .bind(order_id).execute(&mut *tx).await.map_err(other)?;
                }
            }
            let cancelled: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
                .bind(order_id).fetch_one(&mut *tx).await.map_err(other)?;
            if next == AttemptStatus::Succeeded && cancelled == "cancelled" {
                // Paid on a page left open after the order was cancelled: the money goes back.
                refund_cancelled!(tx, order_id, now);
            }
            if next == AttemptStatus::Succeeded {
                let data = serde_json::json!({ "amount": amount });
                event!(tx, EventKind::PaymentReceived, Some(order_id), None::<i64>, data, now);
            }
            let actor = Actor { user_id: None, role: None, request_id: None };
            audit!(tx, actor, now, "payment.event", "payment", Some(payment_id), Some(current.code().to_string()),
                Some(format!("{} ({provider} {event_id})", next.code())));
            tx.commit().await.map_err(other)?;
            Ok(true)
        })
    }

    async fn refunds_to_request(&self, limit: i64) -> StoreResult<Vec<RefundRequest>> {
        let rows: Vec<(i64, String, String, i64, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT r.id, y.provider, y.external_id, r.amount, r.idempotency_key FROM refunds r \
             JOIN payments y ON y.id = r.payment_id WHERE r.status = 'requested' AND r.external_id IS NULL \
             ORDER BY r.id LIMIT $1")
            .bind(limit).fetch_all(pool).await.map_err(other)?);
        Ok(rows
            .into_iter()
            .map(|(id, provider, payment_external_id, amount, key)| RefundRequest {
                id,
                provider,
                payment_external_id,
                amount,
                key,
            })
            .collect())
    }

    async fn refund_requested(&self, id: i64, external_id: &str, now: DateTime<Utc>) -> StoreResult<()> {
        on_db!(self.db(), pool => sqlx::query(
            "UPDATE refunds SET external_id = $1, updated_at = $2 WHERE id = $3 AND external_id IS NULL")
            .bind(external_id).bind(now).bind(id).execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn apply_refund_event(
        &self,
        provider: &str,
        event_id: &str,
        external_id: &str,
        amount: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let begin = self.begin_write();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let refund: Option<(i64, i64, i64, String)> = sqlx::query_as(
                "SELECT r.id, r.order_id, r.amount, r.status FROM refunds r JOIN payments y ON y.id = r.payment_id \
                 WHERE y.provider = $1 AND r.external_id = $2")
                .bind(provider).bind(external_id).fetch_optional(&mut *tx).await.map_err(other)?;
            let (refund_id, order_id, expected, status) = refund.ok_or(StoreError::NotFound)?;
            if expected != amount {
                return Err(StoreError::Conflict("amount"));
            }
            let fresh = sqlx::query(
                "INSERT INTO payment_events (provider, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(provider).bind(event_id).bind(now).execute(&mut *tx).await.map_err(other)?;
            if fresh.rows_affected() == 0 || status == "succeeded" {
                tx.commit().await.map_err(other)?;
                return Ok(false);
            }
            sqlx::query("UPDATE refunds SET status = 'succeeded', updated_at = $1 WHERE id = $2")
                .bind(now).bind(refund_id).execute(&mut *tx).await.map_err(other)?;
            sqlx::query("UPDATE orders SET updated_at = $1 WHERE id = $2").bind(now).bind(order_id)
                .execute(&mut *tx).await.map_err(other)?;
            sqlx::query("INSERT INTO order_events (order_id, at, status, note, via) SELECT id, $1, status, 'payment.refunded', 'payment' FROM orders WHERE id = $2")
                .bind(now).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            event!(tx, EventKind::RefundDone, Some(order_id), None::<i64>, serde_json::json!({ "amount": amount }), now);
            let actor = Actor { user_id: None, role: None, request_id: None };
            audit!(tx, actor, now, "refund.event", "refund", Some(refund_id), Some(status),
                Some(format!("succeeded ({provider} {event_id}, {amount})")));
            tx.commit().await.map_err(other)?;
            Ok(true)
        })
    }
}
