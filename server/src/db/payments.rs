//! Payments area, the sqlx implementation of `PaymentStore`: payment attempts and the provider's
//! reports, each applied once.

use app::ports::{Actor, PaymentOutcome, PaymentRecord, PaymentStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::ordering::PaymentStatus;
use domain::payments::AttemptStatus;

use super::sql::*;
use super::{SqlStore, audit, on_db};

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
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO payments (order_id, provider, external_id, amount, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'pending', $5, $5) RETURNING id")
                .bind(order_id).bind(provider).bind(external_id).bind(amount).bind(now)
                .fetch_one(&mut *tx).await.map_err(other)?;
            sqlx::query("UPDATE orders SET payment_status = 'pending', updated_at = $1 WHERE id = $2 AND payment_status <> 'paid'")
                .bind(now).bind(order_id).execute(&mut *tx).await.map_err(other)?;
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
        let status = match outcome {
            PaymentOutcome::Succeeded => AttemptStatus::Succeeded,
            PaymentOutcome::Declined => AttemptStatus::Declined,
        }
        .code();
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
            // A payment that succeeded stays so; a later decline of the same payment is ignored.
            if current == "succeeded" {
                tx.commit().await.map_err(other)?;
                return Ok(false);
            }
            sqlx::query("UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status).bind(now).bind(payment_id).execute(&mut *tx).await.map_err(other)?;
            let order_status =
                if outcome == PaymentOutcome::Succeeded { PaymentStatus::Paid } else { PaymentStatus::Declined }.code();
            sqlx::query("UPDATE orders SET payment_status = $1, updated_at = $2 WHERE id = $3")
                .bind(order_status).bind(now).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            let note = if outcome == PaymentOutcome::Succeeded { "payment.succeeded" } else { "payment.declined" };
            sqlx::query("INSERT INTO order_events (order_id, at, status, note) SELECT id, $1, status, $2 FROM orders WHERE id = $3")
                .bind(now).bind(note).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            if outcome == PaymentOutcome::Succeeded {
                // Paid purchases count towards the retail loyalty tiers.
                sqlx::query("UPDATE organisations SET accumulated = accumulated + $1 \
                     WHERE id = (SELECT organisation_id FROM orders WHERE id = $2) AND kind = 'person'")
                    .bind(amount).bind(order_id).execute(&mut *tx).await.map_err(other)?;
            }
            let actor = Actor { user_id: None, role: None, request_id: None };
            audit!(tx, actor, now, "payment.event", "payment", Some(payment_id), Some(current),
                Some(format!("{status} ({provider} {event_id})")));
            tx.commit().await.map_err(other)?;
            Ok(true)
        })
    }
}
