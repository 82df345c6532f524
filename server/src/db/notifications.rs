//! Notifications area, storage: messages recorded in the outbox inside the transaction of what
//! caused them (delivery by e-mail and SMS reads the outbox).

/// Records one outgoing message inside the caller's transaction.
macro_rules! outbox {
    ($tx:expr, $message:expr, $now:expr) => {
        sqlx::query("INSERT INTO outbox (channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind($message.channel.code())
            .bind(&$message.recipient)
            .bind(&$message.subject)
            .bind(&$message.body)
            .bind($now)
            .execute(&mut *$tx)
            .await
            .map_err($crate::db::sql::other)?
    };
}
pub(crate) use outbox;

#[async_trait::async_trait]
impl app::ports::NotificationStore for super::SqlStore {
    async fn queue_message(
        &self,
        message: &app::ports::Outgoing,
        now: chrono::DateTime<chrono::Utc>,
    ) -> app::ports::StoreResult<()> {
        super::on_db!(self.db(), pool => {
            let mut tx = pool.begin().await.map_err(super::sql::other)?;
            outbox!(tx, message, now);
            tx.commit().await.map_err(super::sql::other)?;
            Ok(())
        })
    }

    async fn record_sent(
        &self,
        message: &app::ports::Outgoing,
        now: chrono::DateTime<chrono::Utc>,
    ) -> app::ports::StoreResult<()> {
        super::on_db!(self.db(), pool => sqlx::query(
            "INSERT INTO outbox (channel, recipient, subject, body, created_at, sent_at) VALUES ($1, $2, $3, $4, $5, $5)")
            .bind(message.channel.code()).bind(&message.recipient).bind(&message.subject).bind(&message.body).bind(now)
            .execute(pool).await.map(|_| ()).map_err(super::sql::other))
    }
}
