//! Ordering area, storage of the sales channels' settings: whether a channel's invoice orders wait
//! for payment before assembly, and the payment checks that switching it opens or closes.

use app::model::ChannelSettings;
use app::ports::{Actor, StoreResult};
use chrono::{DateTime, NaiveDate, Utc};
use domain::ordering::workflow::{BEFORE_ASSEMBLY, SalesChannel};
use domain::status::StatusMachine;

use super::super::sql::*;
use super::super::{SqlStore, audit, on_db};

pub(super) async fn sales_channels(store: &SqlStore) -> StoreResult<Vec<ChannelSettings>> {
    let rows: Vec<(String, bool, i64)> = on_db!(store.db(), pool => sqlx::query_as(
        "SELECT s.channel, s.prepay, (SELECT COUNT(*) FROM payment_checks k JOIN orders o ON o.id = k.order_id \
         WHERE o.channel = s.channel AND k.closed_at IS NULL) FROM sales_channels s")
        .fetch_all(pool).await.map_err(other)?);
    let mut settings = rows
        .into_iter()
        .map(|(code, prepay, open_checks)| {
            Ok(ChannelSettings { channel: decode(&code, SalesChannel::parse, "sales channel")?, prepay, open_checks })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    settings.sort_by_key(|s| SalesChannel::ALL.iter().position(|c| *c == s.channel));
    Ok(settings)
}

pub(super) async fn set_channel_prepay(
    store: &SqlStore,
    channel: SalesChannel,
    prepay: bool,
    due_on: NaiveDate,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let begin = store.begin_write();
    on_db!(store.db(), pool => {
        let mut tx = pool.begin_with(begin).await.map_err(other)?;
        let before: Option<bool> = sqlx::query_scalar("SELECT prepay FROM sales_channels WHERE channel = $1")
            .bind(channel.code()).fetch_optional(&mut *tx).await.map_err(other)?;
        if before == Some(prepay) {
            return Ok(0);
        }
        sqlx::query(
            "INSERT INTO sales_channels (channel, prepay, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (channel) DO UPDATE SET prepay = excluded.prepay, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by")
            .bind(channel.code()).bind(prepay).bind(now).bind(actor.user_id).execute(&mut *tx).await.map_err(other)?;
        let changed = if prepay {
            // The channel's orders that now wait: an invoice not paid in full, not yet assembled.
            let before_assembly = BEFORE_ASSEMBLY.iter().map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", ");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO payment_checks (order_id, invoice_id, due_on, created_at) \
                 SELECT o.id, i.id, $2, $3 FROM orders o JOIN invoices i ON i.order_id = o.id \
                 WHERE o.channel = $1 AND o.status IN ({before_assembly}) AND i.cancelled_at IS NULL AND i.paid < i.amount \
                 AND NOT EXISTS (SELECT 1 FROM payment_checks k WHERE k.order_id = o.id AND k.closed_at IS NULL)")))
                .bind(channel.code()).bind(due_on).bind(now).execute(&mut *tx).await.map_err(other)?
        } else {
            sqlx::query(
                "UPDATE payment_checks SET closed_at = $2, closed_by = $3, outcome = 'not_needed' \
                 WHERE closed_at IS NULL AND order_id IN (SELECT id FROM orders WHERE channel = $1)")
                .bind(channel.code()).bind(now).bind(actor.user_id).execute(&mut *tx).await.map_err(other)?
        };
        audit!(tx, actor, now, "channel.prepay", "sales_channel", None::<i64>, before.map(|b| b.to_string()),
            Some(prepay.to_string()));
        tx.commit().await.map_err(other)?;
        Ok(changed.rows_affected() as i64)
    })
}
