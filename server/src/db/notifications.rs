//! Notifications area, storage: events recorded inside the transaction of what caused them, their
//! dispatch into the cabinet's notifications and the outbox (one transaction per event, taken by
//! one server: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite), the outbox's
//! delivery state, templates, switches and each person's channels turned off.

use app::ports::{
    Attempt, Dispatch, EventKind, EventOrder, NotificationItem, NotificationStore, OutboxItem, OutboxView, Outgoing,
    PendingEvent, QueuedMessage, Recipient, StoreError, StoreResult,
};
use chrono::{DateTime, Utc};
use domain::Locale;
use domain::notifications::{Channel, Notice, Switches, Template};
use sqlx::AssertSqlSafe;

use super::sql::{decode, other};
use super::{Db, SqlStore, on_db};

/// Records one outgoing message inside the caller's transaction, under a key of its own.
macro_rules! outbox {
    ($tx:expr, $message:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO outbox (channel, recipient, subject, body, created_at, idempotency_key, kind) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($message.channel.code())
        .bind(&$message.recipient)
        .bind(&$message.subject)
        .bind(&$message.body)
        .bind($now)
        .bind(format!("msg:{}", app::services::crypto::random_token()))
        .bind($message.notice.map(|n: domain::notifications::Notice| n.code()))
        .execute(&mut *$tx)
        .await
        .map_err($crate::db::sql::other)?
    };
}
pub(crate) use outbox;

/// Records that something happened, inside the transaction that made it happen; the dispatcher
/// turns it into notifications and messages afterwards.
macro_rules! event {
    ($tx:expr, $kind:expr, $order_id:expr, $actor:expr, $data:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO notification_events (kind, order_id, actor_user_id, data, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(app::ports::EventKind::code($kind))
        .bind($order_id)
        .bind($actor)
        .bind($data.to_string())
        .bind($now)
        .execute(&mut *$tx)
        .await
        .map_err($crate::db::sql::other)?
    };
}
pub(crate) use event;

type UserRow = (i64, String, Option<String>, Option<String>, Option<String>);

const RECIPIENT: &str = "SELECT u.id, u.name, u.email, u.phone, u.locale FROM users u WHERE u.active AND ";

fn locale(code: Option<&str>) -> Locale {
    code.and_then(Locale::parse).unwrap_or_default()
}

fn notice_of(code: &str) -> Result<Notice, StoreError> {
    decode(code, Notice::parse, "notice")
}

fn channel_of(code: &str) -> Result<Channel, StoreError> {
    decode(code, Channel::parse, "channel")
}

type OutboxRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    i32,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<String>,
);

fn outbox_item(r: OutboxRow) -> StoreResult<OutboxItem> {
    Ok(OutboxItem {
        id: r.0,
        channel: channel_of(&r.1)?,
        recipient: r.2,
        subject: r.3,
        body: r.4,
        notice: r.5.as_deref().and_then(Notice::parse),
        created_at: r.6,
        sent_at: r.7,
        dead_at: r.8,
        attempts: r.9.max(0) as u32,
        next_attempt_at: r.10,
        last_error: r.11,
        via: r.12,
    })
}

fn state_clause(state: OutboxView) -> &'static str {
    match state {
        OutboxView::Queued => "sent_at IS NULL AND dead_at IS NULL",
        OutboxView::Sent => "sent_at IS NOT NULL",
        OutboxView::Dead => "sent_at IS NULL AND dead_at IS NOT NULL",
    }
}

#[async_trait::async_trait]
impl NotificationStore for SqlStore {
    async fn queue_message(&self, message: &Outgoing, now: DateTime<Utc>) -> StoreResult<()> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            outbox!(tx, message, now);
            tx.commit().await.map_err(other)?;
            Ok(())
        })
    }

    async fn record_sent(&self, message: &Outgoing, via: &'static str, now: DateTime<Utc>) -> StoreResult<()> {
        on_db!(self.db(), pool => sqlx::query(
            "INSERT INTO outbox (channel, recipient, subject, body, created_at, sent_at, via, attempts, idempotency_key, kind) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, 1, $7, $8)")
            .bind(message.channel.code()).bind(&message.recipient).bind(&message.subject).bind(&message.body)
            .bind(now).bind(via).bind(format!("msg:{}", app::services::crypto::random_token()))
            .bind(message.notice.map(Notice::code))
            .execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn dispatch_events(&self, now: DateTime<Utc>, limit: i64, dispatch: Dispatch<'_>) -> StoreResult<usize> {
        let lock = match self.db() {
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let next = format!(
            "SELECT id, kind, order_id, actor_user_id, data, created_at FROM notification_events \
             WHERE dispatched_at IS NULL ORDER BY id LIMIT 1{lock}"
        );
        let begin = self.begin_write();
        let mut done = 0;
        while done < limit as usize {
            let handled = on_db!(self.db(), pool => async {
                let mut tx = pool.begin_with(begin).await.map_err(other)?;
                let row: Option<(i64, String, Option<i64>, Option<i64>, String, DateTime<Utc>)> =
                    sqlx::query_as(AssertSqlSafe(next.as_str())).fetch_optional(&mut *tx).await.map_err(other)?;
                let Some((id, kind, order_id, actor, data, created_at)) = row else { return Ok(false) };
                let data: serde_json::Value = serde_json::from_str(&data).unwrap_or_default();
                let mut event = PendingEvent {
                    id,
                    kind: decode(&kind, EventKind::parse, "event kind")?,
                    created_at,
                    status: data.get("status").and_then(|v| v.as_str()).map(str::to_string),
                    amount: data.get("amount").and_then(serde_json::Value::as_i64),
                    data: data.clone(),
                    order: None,
                    buyer: Vec::new(),
                    staff: Vec::new(),
                };
                let actor = actor.unwrap_or(0);
                if let Some(order_id) = order_id {
                    let facts: Option<(i64, String, i64, String, String, Option<i64>, Option<i64>, String)> =
                        sqlx::query_as(
                            "SELECT o.total, o.status, o.buyer_user_id, g.kind, g.name, g.region_id, g.manager_id, u.name \
                             FROM orders o JOIN organisations g ON g.id = o.organisation_id \
                             JOIN users u ON u.id = o.buyer_user_id WHERE o.id = $1")
                            .bind(order_id).fetch_optional(&mut *tx).await.map_err(other)?;
                    if let Some((total, status, buyer_id, kind, org, region, manager, person)) = facts {
                        let buyer = if kind == "person" { person } else { org };
                        event.order = Some(EventOrder { id: order_id, total, buyer, status });
                        // A buyer hears that their own order is placed; not of a move they made.
                        let skip = if event.kind == EventKind::OrderPlaced { 0 } else { actor };
                        let buyers: Vec<UserRow> =
                            sqlx::query_as(AssertSqlSafe(format!("{RECIPIENT}u.id = $1 AND u.id <> $2")))
                                .bind(buyer_id).bind(skip).fetch_all(&mut *tx).await.map_err(other)?;
                        let staff: Vec<UserRow> = match manager {
                            // Approvals are the heads' of the client's region (any head for a
                            // client without one), else the administrators'.
                            _ if event.kind == EventKind::ApprovalNeeded => {
                                let heads: Vec<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
                                    "{RECIPIENT}u.role = 'head' AND u.id <> $2 AND ($1 IS NULL OR u.region_id = $1) ORDER BY u.id")))
                                    .bind(region).bind(actor).fetch_all(&mut *tx).await.map_err(other)?;
                                if heads.is_empty() {
                                    sqlx::query_as(AssertSqlSafe(format!("{RECIPIENT}u.role = 'admin' AND u.id <> $1 ORDER BY u.id")))
                                        .bind(actor).fetch_all(&mut *tx).await.map_err(other)?
                                } else {
                                    heads
                                }
                            }
                            Some(m) => sqlx::query_as(AssertSqlSafe(format!("{RECIPIENT}u.id = $1 AND u.id <> $2")))
                                .bind(m).bind(actor).fetch_all(&mut *tx).await.map_err(other)?,
                            None => sqlx::query_as(AssertSqlSafe(format!(
                                "{RECIPIENT}u.role = 'sales_manager' AND u.id <> $2 AND ($1 IS NULL OR u.region_id = $1) ORDER BY u.id")))
                                .bind(region).bind(actor).fetch_all(&mut *tx).await.map_err(other)?,
                        };
                        for (rows, into) in [(buyers, &mut event.buyer), (staff, &mut event.staff)] {
                            for (user_id, name, email, phone, code) in rows {
                                let off: Vec<(String, String)> =
                                    sqlx::query_as("SELECT kind, channel FROM notification_optouts WHERE user_id = $1")
                                        .bind(user_id).fetch_all(&mut *tx).await.map_err(other)?;
                                let opted_out = off.iter()
                                    .filter_map(|(k, c)| Some((Notice::parse(k)?, Channel::parse(c)?)))
                                    .collect();
                                into.push(Recipient { user_id, name, email, phone, locale: locale(code.as_deref()), opted_out });
                            }
                        }
                    }
                }
                for d in dispatch(&event) {
                    sqlx::query(
                        "INSERT INTO notifications (user_id, event_id, kind, title, body, link, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id, user_id) DO NOTHING")
                        .bind(d.user_id).bind(id).bind(d.notice.code()).bind(&d.title).bind(&d.body).bind(&d.link).bind(now)
                        .execute(&mut *tx).await.map_err(other)?;
                    for m in &d.messages {
                        sqlx::query(
                            "INSERT INTO outbox (channel, recipient, subject, body, created_at, idempotency_key, kind, user_id) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING")
                            .bind(m.channel.code()).bind(&m.recipient).bind(&m.subject).bind(&m.body).bind(now)
                            .bind(format!("event:{id}:{}:{}", d.user_id, m.channel.code()))
                            .bind(d.notice.code()).bind(d.user_id)
                            .execute(&mut *tx).await.map_err(other)?;
                    }
                }
                sqlx::query("UPDATE notification_events SET dispatched_at = $1 WHERE id = $2")
                    .bind(now).bind(id).execute(&mut *tx).await.map_err(other)?;
                tx.commit().await.map_err(other)?;
                Ok::<bool, StoreError>(true)
            }.await)?;
            if !handled {
                break;
            }
            done += 1;
        }
        Ok(done)
    }

    async fn claim_messages(
        &self,
        channels: &[Channel],
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<QueuedMessage>> {
        let lock = match self.db() {
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let sql = format!(
            "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN (\
               SELECT id FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL \
               AND (($4 AND channel = 'email') OR ($5 AND channel = 'sms')) \
               AND (next_attempt_at IS NULL OR next_attempt_at <= $2) \
               AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3{lock}) \
             RETURNING id, COALESCE(idempotency_key, 'outbox:' || CAST(id AS TEXT)), channel, recipient, subject, body, attempts"
        );
        let email = channels.contains(&Channel::Email);
        let sms = channels.contains(&Channel::Sms);
        let begin = self.begin_write();
        let mut rows: Vec<(i64, String, String, String, String, String, i32)> = on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let rows = sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(lease_until).bind(now).bind(limit).bind(email).bind(sms)
                .fetch_all(&mut *tx).await.map_err(other)?;
            tx.commit().await.map_err(other)?;
            rows
        });
        rows.sort_by_key(|r| r.0);
        rows.into_iter()
            .map(|(id, key, channel, recipient, subject, body, attempts)| {
                Ok(QueuedMessage {
                    id,
                    key,
                    channel: channel_of(&channel)?,
                    recipient,
                    subject,
                    body,
                    attempts: attempts.max(0) as u32,
                })
            })
            .collect()
    }

    async fn finish_attempt(&self, id: i64, attempt: &Attempt, now: DateTime<Utc>) -> StoreResult<()> {
        on_db!(self.db(), pool => {
            let query = match attempt {
                Attempt::Sent { via } => sqlx::query(
                    "UPDATE outbox SET sent_at = $1, via = $2, claimed_until = NULL WHERE id = $3")
                    .bind(now).bind(*via).bind(id),
                Attempt::Failed { error, retry_at: Some(at) } => sqlx::query(
                    "UPDATE outbox SET last_error = $1, next_attempt_at = $2, claimed_until = NULL WHERE id = $3")
                    .bind(error.chars().take(500).collect::<String>()).bind(*at).bind(id),
                Attempt::Failed { error, retry_at: None } => sqlx::query(
                    "UPDATE outbox SET last_error = $1, dead_at = $2, claimed_until = NULL WHERE id = $3")
                    .bind(error.chars().take(500).collect::<String>()).bind(now).bind(id),
                Attempt::Released => sqlx::query(
                    "UPDATE outbox SET claimed_until = NULL, attempts = attempts - 1 WHERE id = $1").bind(id),
            };
            query.execute(pool).await.map(|_| ()).map_err(other)
        })
    }

    async fn outbox(&self, state: OutboxView, before: Option<i64>, limit: i64) -> StoreResult<Vec<OutboxItem>> {
        let sql = format!(
            "SELECT id, channel, recipient, subject, body, kind, created_at, sent_at, dead_at, attempts, \
             next_attempt_at, last_error, via FROM outbox WHERE {} AND id < $1 ORDER BY id DESC LIMIT $2",
            state_clause(state)
        );
        let rows: Vec<OutboxRow> = on_db!(self.db(), pool => sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(pool).await.map_err(other)?);
        rows.into_iter().map(outbox_item).collect()
    }

    async fn outbox_counts(&self) -> StoreResult<[i64; 3]> {
        let sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) FROM outbox",
            state_clause(OutboxView::Queued),
            state_clause(OutboxView::Sent),
            state_clause(OutboxView::Dead)
        );
        let (queued, sent, dead): (i64, i64, i64) = on_db!(self.db(), pool => sqlx::query_as(AssertSqlSafe(sql.as_str())).fetch_one(pool).await.map_err(other)?);
        Ok([queued, sent, dead])
    }

    async fn retry_message(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let done = on_db!(self.db(), pool => sqlx::query(
            "UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_at = $1, claimed_until = NULL \
             WHERE id = $2 AND dead_at IS NOT NULL AND sent_at IS NULL")
            .bind(now).bind(id).execute(pool).await.map_err(other)?.rows_affected());
        if done == 1 { Ok(()) } else { Err(StoreError::NotFound) }
    }

    async fn notifications(&self, user_id: i64, before: Option<i64>, limit: i64) -> StoreResult<Vec<NotificationItem>> {
        let rows: Vec<(i64, String, String, String, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)> = on_db!(self.db(), pool => sqlx::query_as(
                "SELECT id, kind, title, body, link, created_at, read_at FROM notifications \
                 WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3")
                .bind(user_id).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(pool).await.map_err(other)?);
        rows.into_iter()
            .map(|(id, kind, title, body, link, created_at, read_at)| {
                Ok(NotificationItem {
                    id,
                    notice: notice_of(&kind)?,
                    title,
                    body,
                    link,
                    created_at,
                    read: read_at.is_some(),
                })
            })
            .collect()
    }

    async fn unread_count(&self, user_id: i64) -> StoreResult<i64> {
        on_db!(self.db(), pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id).fetch_one(pool).await.map_err(other))
    }

    async fn mark_read(&self, user_id: i64, id: Option<i64>, now: DateTime<Utc>) -> StoreResult<()> {
        on_db!(self.db(), pool => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND ($3 IS NULL OR id = $3)")
            .bind(now).bind(user_id).bind(id).execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn latest_notification(&self) -> StoreResult<i64> {
        on_db!(self.db(), pool => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM notifications")
            .fetch_one(pool).await.map_err(other))
    }

    async fn templates(&self) -> StoreResult<Vec<(Notice, Locale, Template)>> {
        let rows: Vec<(String, String, String, String, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT kind, locale, subject, body, sms FROM notification_templates")
            .fetch_all(pool).await.map_err(other)?);
        rows.into_iter()
            .map(|(kind, code, subject, body, sms)| {
                Ok((notice_of(&kind)?, decode(&code, Locale::parse, "locale")?, Template { subject, body, sms }))
            })
            .collect()
    }

    async fn template(&self, notice: Notice, locale: Locale) -> StoreResult<Option<Template>> {
        let row: Option<(String, String, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT subject, body, sms FROM notification_templates WHERE kind = $1 AND locale = $2")
            .bind(notice.code()).bind(locale.code()).fetch_optional(pool).await.map_err(other)?);
        Ok(row.map(|(subject, body, sms)| Template { subject, body, sms }))
    }

    async fn save_template(
        &self,
        notice: Notice,
        locale: Locale,
        template: Option<&Template>,
        actor: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_db!(self.db(), pool => {
            let query = match template {
                Some(t) => sqlx::query(
                    "INSERT INTO notification_templates (kind, locale, subject, body, sms, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, locale) DO UPDATE SET \
                     subject = excluded.subject, body = excluded.body, sms = excluded.sms, \
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by")
                    .bind(notice.code()).bind(locale.code()).bind(&t.subject).bind(&t.body).bind(&t.sms)
                    .bind(now).bind(actor),
                None => sqlx::query("DELETE FROM notification_templates WHERE kind = $1 AND locale = $2")
                    .bind(notice.code()).bind(locale.code()),
            };
            query.execute(pool).await.map(|_| ()).map_err(other)
        })
    }

    async fn switches(&self) -> StoreResult<Vec<(Notice, Switches)>> {
        let rows: Vec<(String, bool, bool)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT kind, email, sms FROM notification_channels").fetch_all(pool).await.map_err(other)?);
        rows.into_iter().map(|(kind, email, sms)| Ok((notice_of(&kind)?, Switches { email, sms }))).collect()
    }

    async fn save_switches(
        &self,
        notice: Notice,
        switches: Switches,
        actor: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_db!(self.db(), pool => sqlx::query(
            "INSERT INTO notification_channels (kind, email, sms, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (kind) DO UPDATE SET email = excluded.email, sms = excluded.sms, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by")
            .bind(notice.code()).bind(switches.email).bind(switches.sms).bind(now).bind(actor)
            .execute(pool).await.map(|_| ()).map_err(other))
    }

    async fn opt_outs(&self, user_id: i64) -> StoreResult<Vec<(Notice, Channel)>> {
        let rows: Vec<(String, String)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT kind, channel FROM notification_optouts WHERE user_id = $1 ORDER BY kind, channel")
            .bind(user_id).fetch_all(pool).await.map_err(other)?);
        rows.into_iter().map(|(k, c)| Ok((notice_of(&k)?, channel_of(&c)?))).collect()
    }

    async fn save_opt_outs(&self, user_id: i64, off: &[(Notice, Channel)]) -> StoreResult<()> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(other)?;
            sqlx::query("DELETE FROM notification_optouts WHERE user_id = $1")
                .bind(user_id).execute(&mut *tx).await.map_err(other)?;
            for (notice, channel) in off {
                sqlx::query("INSERT INTO notification_optouts (user_id, kind, channel) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(user_id).bind(notice.code()).bind(channel.code()).execute(&mut *tx).await.map_err(other)?;
            }
            tx.commit().await.map_err(other)?;
            Ok(())
        })
    }
}
