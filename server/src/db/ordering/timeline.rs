//! Ordering area, storage of the order's timeline: every change as an entry — a status move, a
//! line's picked quantity, a shipment — with who made it and where (`via`, from their role).

use app::model::{OrderChange, OrderEvent, Via};
use app::ports::StoreResult;
use chrono::{DateTime, Utc};
use domain::Role;
use domain::status::{OrderStatus, StatusMachine};

use super::super::sql::*;

/// One timeline entry; `via` (where the change was made) follows from the actor's role.
macro_rules! timeline {
    ($tx:expr, $order_id:expr, $now:expr, $status:expr, $kind:expr, $field:expr, $before:expr, $after:expr,
     $note:expr, $actor:expr, $previous:expr) => {
        sqlx::query(
            "INSERT INTO order_events (order_id, at, status, kind, field, before_value, after_value, note, actor_user_id, \
             previous_status, via) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind($order_id)
        .bind($now)
        .bind($status)
        .bind($kind)
        .bind($field)
        .bind($before)
        .bind($after)
        .bind($note)
        .bind($actor.user_id)
        .bind($previous)
        .bind(app::model::Via::of($actor.role).code())
        .execute(&mut *$tx)
        .await
        .map_err($crate::db::sql::other)?
    };
}
pub(crate) use timeline;

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    at: DateTime<Utc>,
    status: String,
    kind: String,
    field: Option<String>,
    before_value: Option<String>,
    after_value: Option<String>,
    previous_status: Option<String>,
    via: Option<String>,
    note: String,
    name: Option<String>,
    role: Option<String>,
}

impl EventRow {
    pub(super) fn read(self) -> StoreResult<OrderEvent> {
        let by = match (self.name, self.role) {
            (Some(name), Some(role)) => Some((name, decode(&role, Role::parse, "role")?)),
            _ => None,
        };
        let number = |v: &Option<String>| -> StoreResult<i64> {
            let text = v.as_deref().unwrap_or_default();
            text.parse().map_err(|_| corrupt("order event value", text))
        };
        let change = match self.kind.as_str() {
            "status" => OrderChange::Status { previous: previous(self.previous_status.as_deref())? },
            "picked" => OrderChange::Picked {
                line: line_index(number(&self.field)?),
                before: number(&self.before_value)?,
                after: number(&self.after_value)?,
            },
            "shipment" => OrderChange::Shipment { number: number(&self.field)? },
            "payment" => OrderChange::Payment {
                amount: number(&self.after_value)?,
                document: self.field.clone().unwrap_or_default(),
            },
            "schedule" => OrderChange::Schedule {
                before: crate::db::invoicing::schedule_lines(self.before_value.as_deref())?,
                after: crate::db::invoicing::schedule_lines(self.after_value.as_deref())?,
            },
            other => return Err(corrupt("order event kind", other)),
        };
        Ok(OrderEvent {
            at: self.at,
            status: decode(&self.status, OrderStatus::parse, "order status")?,
            change,
            note: self.note,
            by,
            via: via(self.via.as_deref())?,
        })
    }
}

/// A stored line number (1, 2, …) as the index of the line in `OrderDetail::lines`.
pub(super) fn line_index(line_no: i64) -> usize {
    usize::try_from(line_no - 1).unwrap_or(0)
}

/// What a timeline entry's `via` column holds, read back.
pub(super) fn via(code: Option<&str>) -> StoreResult<Option<Via>> {
    code.map(|c| Via::parse(c).ok_or_else(|| corrupt("order event via", c))).transpose()
}

/// The status a timeline entry's `previous_status` holds, read back.
pub(super) fn previous(code: Option<&str>) -> StoreResult<Option<OrderStatus>> {
    code.map(|c| OrderStatus::parse(c).ok_or_else(|| corrupt("order status", c))).transpose()
}
