//! Invoicing area, storage of payment schedules (an order's invoice replaced by one per
//! instalment, in one transaction with its timeline entry) and of the managers' payment tasks.

use app::model::{PaymentTask, TaskClosed, TaskOutcome};
use app::ports::{Actor, NewSchedule, Reach, StoreError, StoreResult};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AssertSqlSafe;

use super::super::ordering::timeline::timeline;
use super::super::sql::*;
use super::super::{SqlStore, audit, on_db};

/// Instalments as a timeline entry keeps them: a `YYYY-MM-DD kopecks` line each.
fn lines(instalments: &[(NaiveDate, i64)]) -> String {
    instalments.iter().map(|(due, amount)| format!("{due} {amount}")).collect::<Vec<_>>().join("\n")
}

pub(super) async fn set_schedule(store: &SqlStore, s: &NewSchedule, actor: &Actor) -> StoreResult<()> {
    let begin = store.begin_write();
    on_db!(store.db(), pool => {
        let mut tx = pool.begin_with(begin).await.map_err(other)?;
        let order: Option<(String, i64)> = sqlx::query_as("SELECT status, total FROM orders WHERE id = $1")
            .bind(s.order_id).fetch_optional(&mut *tx).await.map_err(other)?;
        let Some((status, total)) = order else { return Err(StoreError::NotFound) };
        if total != s.total || s.instalments.iter().map(|i| i.amount).sum::<i64>() != total {
            return Err(StoreError::Conflict("total"));
        }
        type Row = (i64, NaiveDate, Option<NaiveDate>, i64, i64, i64, bool);
        let current: Vec<Row> = sqlx::query_as(
            "SELECT i.id, i.issued_on, i.due_on, CAST(g.deferral_days AS BIGINT), i.amount, i.paid, i.cancelled_at IS NOT NULL \
             FROM invoices i JOIN organisations g ON g.id = i.organisation_id WHERE i.order_id = $1 \
             ORDER BY COALESCE(i.instalment, 0), i.id")
            .bind(s.order_id).fetch_all(&mut *tx).await.map_err(other)?;
        let Some(first) = current.first().map(|r| r.0) else { return Err(StoreError::NotFound) };
        let waits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payment_checks WHERE order_id = $1 AND closed_at IS NULL")
            .bind(s.order_id).fetch_one(&mut *tx).await.map_err(other)?;
        if waits > 0 || current.iter().any(|r| r.5 > 0 || r.6) {
            return Err(StoreError::Conflict("paid"));
        }
        let before: Vec<(NaiveDate, i64)> = current
            .iter()
            .map(|&(_, issued, due, deferral, amount, ..)| {
                (due.unwrap_or_else(|| domain::invoicing::due_date(issued, u32::try_from(deferral).unwrap_or(0))), amount)
            })
            .collect();
        // The first invoice is kept (its id may be named by a closed payment check); the others
        // go with their reminders and tasks, and the first's are forgotten: its day changes.
        sqlx::query("DELETE FROM invoice_reminders WHERE invoice_id IN (SELECT id FROM invoices WHERE order_id = $1)")
            .bind(s.order_id).execute(&mut *tx).await.map_err(other)?;
        sqlx::query("DELETE FROM payment_tasks WHERE invoice_id IN (SELECT id FROM invoices WHERE order_id = $1)")
            .bind(s.order_id).execute(&mut *tx).await.map_err(other)?;
        sqlx::query("DELETE FROM invoices WHERE order_id = $1 AND id <> $2")
            .bind(s.order_id).bind(first).execute(&mut *tx).await.map_err(other)?;
        let single = s.instalments.len() == 1;
        for (k, part) in s.instalments.iter().enumerate() {
            let place = i32::try_from(k + 1).unwrap_or(i32::MAX);
            let number = if single { s.base_number.clone() } else { format!("{}-{place}", s.base_number) };
            let instalment = (!single).then_some(place);
            if k == 0 {
                sqlx::query("UPDATE invoices SET number = $2, issued_on = $3, due_on = $4, instalment = $5, amount = $6 WHERE id = $1")
                    .bind(first).bind(number).bind(s.issued_on).bind(part.due).bind(instalment).bind(part.amount)
                    .execute(&mut *tx).await.map_err(other)?;
            } else {
                sqlx::query(
                    "INSERT INTO invoices (organisation_id, order_id, number, issued_on, due_on, instalment, amount) \
                     SELECT organisation_id, order_id, $2, $3, $4, $5, $6 FROM invoices WHERE id = $1")
                    .bind(first).bind(number).bind(s.issued_on).bind(part.due).bind(instalment).bind(part.amount)
                    .execute(&mut *tx).await.map_err(other)?;
            }
        }
        // An instalment due today is to be followed from today (later ones: by the housekeeping).
        sqlx::query(
            "INSERT INTO payment_tasks (invoice_id, due_on, created_at) SELECT id, due_on, $2 FROM invoices \
             WHERE order_id = $1 AND due_on <= $3")
            .bind(s.order_id).bind(s.now).bind(s.issued_on).execute(&mut *tx).await.map_err(other)?;
        // The order's page is followed live: it changed.
        sqlx::query("UPDATE orders SET updated_at = $2 WHERE id = $1")
            .bind(s.order_id).bind(s.now).execute(&mut *tx).await.map_err(other)?;
        let after: Vec<(NaiveDate, i64)> = s.instalments.iter().map(|i| (i.due, i.amount)).collect();
        timeline!(tx, s.order_id, s.now, status.as_str(), "schedule", None::<String>, Some(lines(&before)),
            Some(lines(&after)), "", actor, None::<String>);
        audit!(tx, actor, s.now, "invoice.schedule", "order", Some(s.order_id), Some(lines(&before)), Some(lines(&after)));
        tx.commit().await.map_err(other)?;
        Ok(())
    })
}

/// What an entry of `schedule` kind keeps, read back.
pub(crate) fn read_lines(text: Option<&str>) -> StoreResult<Vec<(NaiveDate, i64)>> {
    text.unwrap_or_default()
        .lines()
        .map(|line| {
            let (due, amount) = line.split_once(' ').ok_or_else(|| corrupt("schedule line", line))?;
            match (due.parse(), amount.parse()) {
                (Ok(due), Ok(amount)) => Ok((due, amount)),
                _ => Err(corrupt("schedule line", line)),
            }
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: i64,
    order_id: i64,
    client: String,
    manager: Option<String>,
    number: String,
    instalment: Option<i32>,
    instalments: i64,
    amount: i64,
    paid: i64,
    due_on: NaiveDate,
    closed_at: Option<DateTime<Utc>>,
    outcome: Option<String>,
    closed_by: Option<String>,
    note: String,
}

impl TaskRow {
    fn read(self) -> StoreResult<PaymentTask> {
        let closed = match (self.closed_at, self.outcome) {
            (Some(at), Some(code)) => Some(TaskClosed {
                at,
                outcome: decode(&code, TaskOutcome::parse, "payment task outcome")?,
                by: self.closed_by,
                note: self.note,
            }),
            (None, _) => None,
            (Some(_), None) => return Err(corrupt("payment task outcome", "")),
        };
        let place = |n: i64| u32::try_from(n).unwrap_or(0);
        Ok(PaymentTask {
            id: self.id,
            order_id: self.order_id,
            client: self.client,
            manager: self.manager,
            invoice: self.number,
            instalment: self.instalment.map(|k| (place(i64::from(k)), place(self.instalments))),
            amount: self.amount,
            paid: self.paid,
            due_on: self.due_on,
            closed,
        })
    }
}

/// The person of a task's order (for the reach of a single person, which staff never have).
const BUYER: &str = "(SELECT o.buyer_user_id FROM orders o WHERE o.id = i.order_id)";

pub(super) async fn payment_tasks(
    store: &SqlStore,
    reach: &Reach,
    open: bool,
    limit: i64,
) -> StoreResult<Vec<PaymentTask>> {
    let (within, bind) = reach_clause(reach, "i.organisation_id", BUYER, 2);
    let (which, order) = if open {
        ("t.closed_at IS NULL", "t.due_on, t.id")
    } else {
        ("t.closed_at IS NOT NULL", "t.closed_at DESC, t.id DESC")
    };
    let sql = format!(
        "SELECT t.id, i.order_id, g.name AS client, m.name AS manager, i.number, i.instalment, \
         (SELECT COUNT(*) FROM invoices j WHERE j.order_id = i.order_id AND j.instalment IS NOT NULL) AS instalments, \
         i.amount, i.paid, t.due_on, t.closed_at, t.outcome, c.name AS closed_by, t.note \
         FROM payment_tasks t JOIN invoices i ON i.id = t.invoice_id JOIN organisations g ON g.id = i.organisation_id \
         LEFT JOIN users m ON m.id = g.manager_id LEFT JOIN users c ON c.id = t.closed_by \
         WHERE {which} AND {within} ORDER BY {order} LIMIT $1"
    );
    let rows: Vec<TaskRow> = on_db!(store.db(), pool => {
        let query = sqlx::query_as(AssertSqlSafe(sql.clone())).bind(limit);
        match bind { Some(v) => query.bind(v), None => query }.fetch_all(pool).await.map_err(other)?
    });
    rows.into_iter().map(TaskRow::read).collect()
}

pub(super) async fn close_payment_task(
    store: &SqlStore,
    id: i64,
    reach: &Reach,
    note: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (within, bind) = reach_clause(reach, "i.organisation_id", BUYER, 2);
    let find = format!(
        "SELECT t.closed_at IS NOT NULL FROM payment_tasks t JOIN invoices i ON i.id = t.invoice_id WHERE t.id = $1 AND {within}"
    );
    let begin = store.begin_write();
    on_db!(store.db(), pool => {
        let mut tx = pool.begin_with(begin).await.map_err(other)?;
        let query = sqlx::query_scalar(AssertSqlSafe(find.clone())).bind(id);
        let closed: Option<bool> = match bind { Some(v) => query.bind(v), None => query }
            .fetch_optional(&mut *tx).await.map_err(other)?;
        match closed {
            None => return Err(StoreError::NotFound),
            Some(true) => return Err(StoreError::Conflict("closed")),
            Some(false) => {}
        }
        let done = sqlx::query(
            "UPDATE payment_tasks SET closed_at = $2, closed_by = $3, outcome = 'done', note = $4 WHERE id = $1 AND closed_at IS NULL")
            .bind(id).bind(now).bind(actor.user_id).bind(note).execute(&mut *tx).await.map_err(other)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("closed"));
        }
        let after = serde_json::json!({ "note": note }).to_string();
        audit!(tx, actor, now, "invoice.task_done", "payment_task", Some(id), None::<String>, Some(after));
        tx.commit().await.map_err(other)?;
        Ok(())
    })
}
