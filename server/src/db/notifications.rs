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
