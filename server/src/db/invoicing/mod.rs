//! Invoicing area, the sqlx implementation of `InvoiceStore`: open invoices for the credit check,
//! the parties' requisites for printed invoices, bank payments recorded against invoices and the
//! payment checks of orders that wait for one (with the pieces other areas' transactions use:
//! [`open_payment_check!`], [`void_invoice!`], [`order_invoices!`]); payment schedules and the
//! managers' payment tasks are in `schedules`.

use app::model::{CheckOutcome, PaymentCheck, PaymentTask};
use app::ports::{
    Actor, BankPaymentOutcome, EventKind, InvoiceStore, NewBankPayment, NewSchedule, Reach, Requisites, StoreError,
    StoreResult, UnpaidInvoice,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::credit::OpenInvoice;
use domain::invoicing::Reminder;
use domain::status::{OrderStatus, StatusMachine};
use domain::{Bik, Inn, Kpp, SettlementAccount};
use sqlx::AssertSqlSafe;

use super::ordering::timeline::timeline;

mod schedules;
use super::sql::*;
use super::{SqlStore, audit, event, on_db};
pub(crate) use schedules::read_lines as schedule_lines;

/// Inside the transaction that places an order: its payment check (due `$due`), when the order has
/// an invoice and its channel assembles invoice orders only once paid.
macro_rules! open_payment_check {
    ($tx:ident, $order_id:expr, $channel:expr, $due:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO payment_checks (order_id, invoice_id, due_on, created_at) \
             SELECT i.order_id, i.id, $2, $3 FROM invoices i WHERE i.order_id = $1 \
             AND EXISTS (SELECT 1 FROM sales_channels c WHERE c.channel = $4 AND c.prepay)",
        )
        .bind($order_id)
        .bind($due)
        .bind($now)
        .bind($channel)
        .execute(&mut *$tx)
        .await
        .map_err($crate::db::sql::other)?
    };
}
pub(crate) use open_payment_check;

/// Inside the transaction that cancels an order: its invoice becomes void (no longer a debt, takes
/// no payments) and its payment check is closed.
macro_rules! void_invoice {
    ($tx:ident, $order_id:expr, $now:expr, $actor_id:expr) => {
        sqlx::query("UPDATE invoices SET cancelled_at = $2 WHERE order_id = $1 AND cancelled_at IS NULL")
            .bind($order_id)
            .bind($now)
            .execute(&mut *$tx)
            .await
            .map_err($crate::db::sql::other)?;
        sqlx::query(
            "UPDATE payment_checks SET closed_at = $2, closed_by = $3, outcome = 'cancelled' \
             WHERE order_id = $1 AND closed_at IS NULL",
        )
        .bind($order_id)
        .bind($now)
        .bind($actor_id)
        .execute(&mut *$tx)
        .await
        .map_err($crate::db::sql::other)?;
        sqlx::query(
            "UPDATE payment_tasks SET closed_at = $2, closed_by = $3, outcome = 'void' WHERE closed_at IS NULL \
             AND invoice_id IN (SELECT id FROM invoices WHERE order_id = $1)",
        )
        .bind($order_id)
        .bind($now)
        .bind($actor_id)
        .execute(&mut *$tx)
        .await
        .map_err($crate::db::sql::other)?;
    };
}
pub(crate) use void_invoice;

/// The invoices of order `$id` as its page shows them, in schedule order: the bank payments against
/// them (only asked when something was paid) and the due day of the order's open payment check.
macro_rules! order_invoices {
    ($pool:ident, $id:expr) => {{
        type Row = (i64, String, chrono::NaiveDate, Option<chrono::NaiveDate>, i64, Option<i32>, i64, i64, bool);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT i.id, i.number, i.issued_on, i.due_on, CAST(g.deferral_days AS BIGINT), i.instalment, i.amount, \
             i.paid, i.cancelled_at IS NOT NULL FROM invoices i JOIN organisations g ON g.id = i.organisation_id \
             WHERE i.order_id = $1 ORDER BY COALESCE(i.instalment, 0), i.id",
        )
        .bind($id)
        .fetch_all($pool)
        .await
        .map_err($crate::db::sql::other)?;
        let mut payments: Vec<(i64, chrono::NaiveDate, String, i64, String, chrono::DateTime<chrono::Utc>)> =
            Vec::new();
        if rows.iter().any(|r| r.7 > 0) {
            payments = sqlx::query_as(
                "SELECT p.invoice_id, p.paid_on, p.document, p.amount, u.name, p.recorded_at FROM invoice_payments p \
                 JOIN users u ON u.id = p.recorded_by JOIN invoices i ON i.id = p.invoice_id \
                 WHERE i.order_id = $1 ORDER BY p.id",
            )
            .bind($id)
            .fetch_all($pool)
            .await
            .map_err($crate::db::sql::other)?;
        }
        let check: Option<(i64, chrono::NaiveDate)> = if rows.is_empty() {
            None
        } else {
            sqlx::query_as("SELECT invoice_id, due_on FROM payment_checks WHERE order_id = $1 AND closed_at IS NULL")
                .bind($id)
                .fetch_optional($pool)
                .await
                .map_err($crate::db::sql::other)?
        };
        rows.into_iter()
            .map(|(invoice_id, number, issued_on, due_on, deferral, instalment, amount, paid, cancelled)| {
                app::model::InvoiceView {
                    number,
                    issued_on,
                    due_on: due_on.unwrap_or_else(|| {
                        domain::invoicing::due_date(issued_on, u32::try_from(deferral).unwrap_or(0))
                    }),
                    instalment: instalment.and_then(|n| u32::try_from(n).ok()),
                    amount,
                    paid,
                    cancelled,
                    payments: payments
                        .iter()
                        .filter(|p| p.0 == invoice_id)
                        .map(|(_, paid_on, document, amount, recorded_by, recorded_at)| app::model::BankPaymentView {
                            paid_on: *paid_on,
                            document: document.clone(),
                            amount: *amount,
                            recorded_by: recorded_by.clone(),
                            recorded_at: *recorded_at,
                        })
                        .collect(),
                    check_due: check.filter(|c| c.0 == invoice_id).map(|c| c.1),
                }
            })
            .collect::<Vec<app::model::InvoiceView>>()
    }};
}
pub(crate) use order_invoices;

#[derive(sqlx::FromRow)]
struct PartyRow {
    name: String,
    inn: Option<String>,
    kpp: Option<String>,
    legal_address: Option<String>,
    bank_name: Option<String>,
    bik: Option<String>,
    settlement_account: Option<String>,
    correspondent_account: Option<String>,
}

impl PartyRow {
    /// Typed requisites; a stored one that is not valid is reported, never printed.
    fn requisites(self) -> StoreResult<Requisites> {
        fn typed<T, E>(
            value: Option<String>,
            parse: impl Fn(&str) -> Result<T, E>,
            what: &str,
        ) -> StoreResult<Option<T>> {
            value.map(|v| parse(&v).map_err(|_| corrupt(what, &v))).transpose()
        }
        let bik = typed(self.bik, Bik::parse, "BIK")?;
        let account = |value: Option<String>, correspondent: bool| match (&bik, value) {
            (Some(bik), Some(v)) if correspondent => {
                SettlementAccount::parse_correspondent(&v, bik).map(Some).map_err(|_| corrupt("account", &v))
            }
            (Some(bik), Some(v)) => SettlementAccount::parse(&v, bik).map(Some).map_err(|_| corrupt("account", &v)),
            (None, Some(v)) => Err(corrupt("account without a BIK", &v)),
            (_, None) => Ok(None),
        };
        Ok(Requisites {
            settlement_account: account(self.settlement_account, false)?,
            correspondent_account: account(self.correspondent_account, true)?,
            name: self.name,
            inn: typed(self.inn, Inn::parse, "INN")?,
            kpp: typed(self.kpp, Kpp::parse, "KPP")?,
            address: self.legal_address,
            bank_name: self.bank_name,
            bik,
        })
    }
}

const PARTY_COLUMNS: &str = "SELECT name, inn, kpp, legal_address, bank_name, bik, settlement_account, correspondent_account \
     FROM organisations";

#[async_trait]
impl InvoiceStore for SqlStore {
    async fn open_invoices(&self, organisation_id: i64) -> StoreResult<Vec<OpenInvoice>> {
        let rows: Vec<(NaiveDate, i64, Option<NaiveDate>)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT issued_on, amount - paid, due_on FROM invoices WHERE organisation_id = $1 AND paid < amount \
             AND cancelled_at IS NULL ORDER BY issued_on")
            .bind(organisation_id).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(|(issued, outstanding, due)| OpenInvoice { issued, outstanding, due }).collect())
    }

    async fn invoice_parties(&self, organisation_id: i64) -> StoreResult<(Requisites, Requisites)> {
        let seller_sql = format!("{PARTY_COLUMNS} WHERE kind = 'seller' ORDER BY id LIMIT 1");
        let buyer_sql = format!("{PARTY_COLUMNS} WHERE id = $1");
        on_db!(self.db(), pool => {
            let seller: Option<PartyRow> = sqlx::query_as(AssertSqlSafe(seller_sql.as_str())).fetch_optional(pool).await.map_err(other)?;
            let buyer: Option<PartyRow> = sqlx::query_as(AssertSqlSafe(buyer_sql.as_str()))
                .bind(organisation_id).fetch_optional(pool).await.map_err(other)?;
            match (seller, buyer) {
                (Some(s), Some(b)) => Ok((s.requisites()?, b.requisites()?)),
                _ => Err(StoreError::NotFound),
            }
        })
    }

    async fn record_bank_payment(&self, p: &NewBankPayment, actor: &Actor) -> StoreResult<BankPaymentOutcome> {
        let begin = self.begin_write();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let invoice: Option<(i64, bool, String)> = sqlx::query_as(
                "SELECT i.id, i.cancelled_at IS NOT NULL, o.status FROM invoices i JOIN orders o ON o.id = i.order_id \
                 WHERE i.order_id = $1 AND i.number = $2")
                .bind(p.order_id).bind(&p.invoice).fetch_optional(&mut *tx).await.map_err(other)?;
            let Some((invoice_id, void, status)) = invoice else { return Err(StoreError::NotFound) };
            if void {
                return Err(StoreError::Conflict("invoice"));
            }
            let document = &p.payment.document;
            let inserted = sqlx::query(
                "INSERT INTO invoice_payments (invoice_id, document, paid_on, amount, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (invoice_id, document) DO NOTHING")
                .bind(invoice_id).bind(document).bind(p.payment.paid_on).bind(p.payment.amount).bind(p.recorded_by)
                .bind(p.now).execute(&mut *tx).await.map_err(other)?;
            if inserted.rows_affected() == 0 {
                // The same statement line again (a second click, a retried request): counted once.
                return Ok(BankPaymentOutcome::Duplicate);
            }
            // Never more than is left, whatever was recorded meanwhile.
            let settled: Option<bool> = sqlx::query_scalar(
                "UPDATE invoices SET paid = paid + $2 WHERE id = $1 AND cancelled_at IS NULL AND paid + $2 <= amount \
                 RETURNING paid = amount")
                .bind(invoice_id).bind(p.payment.amount).fetch_optional(&mut *tx).await.map_err(other)?;
            let Some(invoice_settled) = settled else { return Err(StoreError::Conflict("amount")) };
            if invoice_settled {
                sqlx::query("UPDATE payment_tasks SET closed_at = $2, closed_by = $3, outcome = 'paid' \
                             WHERE invoice_id = $1 AND closed_at IS NULL")
                    .bind(invoice_id).bind(p.now).bind(p.recorded_by).execute(&mut *tx).await.map_err(other)?;
            }
            // The order is paid once every one of its invoices is (a schedule has several).
            let unpaid: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM invoices WHERE order_id = $1 AND cancelled_at IS NULL AND paid < amount")
                .bind(p.order_id).fetch_one(&mut *tx).await.map_err(other)?;
            let settled = invoice_settled && unpaid == 0;
            if settled {
                sqlx::query("UPDATE orders SET payment_status = 'paid', updated_at = $2 WHERE id = $1")
                    .bind(p.order_id).bind(p.now).execute(&mut *tx).await.map_err(other)?;
                sqlx::query(
                    "UPDATE payment_checks SET closed_at = $2, closed_by = $3, outcome = 'paid' \
                     WHERE order_id = $1 AND closed_at IS NULL")
                    .bind(p.order_id).bind(p.now).bind(p.recorded_by).execute(&mut *tx).await.map_err(other)?;
            } else {
                // The order's page is followed live: it changed.
                sqlx::query("UPDATE orders SET updated_at = $2 WHERE id = $1")
                    .bind(p.order_id).bind(p.now).execute(&mut *tx).await.map_err(other)?;
            }
            timeline!(tx, p.order_id, p.now, status.as_str(), "payment", Some(document.clone()), None::<String>,
                Some(p.payment.amount.to_string()), "", actor, None::<String>);
            let data = serde_json::json!({ "amount": p.payment.amount });
            event!(tx, EventKind::PaymentReceived, Some(p.order_id), actor.user_id, data, p.now);
            let after = serde_json::json!({ "amount": p.payment.amount, "document": document, "paid_on": p.payment.paid_on });
            audit!(tx, actor, p.now, "invoice.payment", "invoice", Some(invoice_id), None::<String>, Some(after.to_string()));
            tx.commit().await.map_err(other)?;
            Ok(BankPaymentOutcome::Recorded { settled })
        })
    }

    async fn invoices_to_remind(&self, limit: i64) -> StoreResult<Vec<UnpaidInvoice>> {
        // Orders waiting for a payment check are the accountant's, due by the check, not the deferral.
        type Row = (i64, i64, String, NaiveDate, Option<NaiveDate>, i64, i64, Option<String>);
        let rows: Vec<Row> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT i.id, i.order_id, i.number, i.issued_on, i.due_on, i.amount - i.paid, CAST(g.deferral_days AS BIGINT), \
             (SELECT MIN(r.kind) FROM invoice_reminders r WHERE r.invoice_id = i.id) \
             FROM invoices i JOIN organisations g ON g.id = i.organisation_id \
             WHERE i.order_id IS NOT NULL AND i.cancelled_at IS NULL AND i.paid < i.amount \
             AND NOT EXISTS (SELECT 1 FROM invoice_reminders r WHERE r.invoice_id = i.id AND r.kind = 'overdue') \
             AND NOT EXISTS (SELECT 1 FROM payment_checks k WHERE k.invoice_id = i.id) \
             ORDER BY i.issued_on, i.id LIMIT $1")
            .bind(limit).fetch_all(pool).await.map_err(other)?);
        Ok(rows
            .into_iter()
            .map(|(id, order_id, number, issued_on, due_on, outstanding, deferral, sent)| UnpaidInvoice {
                id,
                order_id,
                number,
                issued_on,
                due_on,
                outstanding,
                deferral_days: u32::try_from(deferral).unwrap_or(0),
                // Only "due" can be there (an overdue one is not read).
                sent: sent.map(|_| vec![Reminder::Due]).unwrap_or_default(),
            })
            .collect())
    }

    async fn remind(
        &self,
        invoice: &UnpaidInvoice,
        reminder: Reminder,
        due: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let begin = self.begin_write();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let fresh = sqlx::query(
                "INSERT INTO invoice_reminders (invoice_id, kind, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(invoice.id).bind(reminder.code()).bind(now).execute(&mut *tx).await.map_err(other)?;
            if fresh.rows_affected() == 0 {
                return Ok(false);
            }
            let kind = match reminder {
                Reminder::Due => EventKind::PaymentDue,
                Reminder::Overdue => EventKind::PaymentOverdue,
            };
            let data = serde_json::json!({ "amount": invoice.outstanding, "invoice": invoice.number, "due": due });
            event!(tx, kind, Some(invoice.order_id), None::<i64>, data, now);
            // The responsible manager's control of this payment (once per invoice).
            sqlx::query("INSERT INTO payment_tasks (invoice_id, due_on, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(invoice.id).bind(due).bind(now).execute(&mut *tx).await.map_err(other)?;
            tx.commit().await.map_err(other)?;
            Ok(true)
        })
    }

    async fn payment_checks(&self, reach: &Reach, open: bool, limit: i64) -> StoreResult<Vec<PaymentCheck>> {
        let (within, bind) = reach_clause(reach, "o.organisation_id", "o.buyer_user_id", 2);
        let (which, order) = if open {
            ("c.closed_at IS NULL", "c.due_on, c.id")
        } else {
            ("c.closed_at IS NOT NULL", "c.closed_at DESC, c.id DESC")
        };
        let sql = format!(
            "SELECT c.order_id, o.status, g.name, i.number, i.amount, i.paid, c.due_on, c.created_at, c.closed_at, \
             c.outcome FROM payment_checks c JOIN orders o ON o.id = c.order_id JOIN invoices i ON i.id = c.invoice_id \
             JOIN organisations g ON g.id = o.organisation_id WHERE {which} AND {within} ORDER BY {order} LIMIT $1"
        );
        let rows: Vec<CheckRow> = on_db!(self.db(), pool => {
            let query = sqlx::query_as(AssertSqlSafe(sql.clone())).bind(limit);
            match bind { Some(v) => query.bind(v), None => query }.fetch_all(pool).await.map_err(other)?
        });
        rows.into_iter().map(CheckRow::read).collect()
    }

    async fn set_schedule(&self, schedule: &NewSchedule, actor: &Actor) -> StoreResult<()> {
        schedules::set_schedule(self, schedule, actor).await
    }

    async fn payment_tasks(&self, reach: &Reach, open: bool, limit: i64) -> StoreResult<Vec<PaymentTask>> {
        schedules::payment_tasks(self, reach, open, limit).await
    }

    async fn close_payment_task(
        &self,
        id: i64,
        reach: &Reach,
        note: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        schedules::close_payment_task(self, id, reach, note, actor, now).await
    }
}

#[derive(sqlx::FromRow)]
struct CheckRow {
    order_id: i64,
    status: String,
    name: String,
    number: String,
    amount: i64,
    paid: i64,
    due_on: NaiveDate,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    outcome: Option<String>,
}

impl CheckRow {
    fn read(self) -> StoreResult<PaymentCheck> {
        let closed = match (self.closed_at, self.outcome) {
            (Some(at), Some(code)) => Some((at, decode(&code, CheckOutcome::parse, "payment check outcome")?)),
            (None, _) => None,
            (Some(_), None) => return Err(corrupt("payment check outcome", "")),
        };
        Ok(PaymentCheck {
            order_id: self.order_id,
            order_status: decode(&self.status, OrderStatus::parse, "order status")?,
            client: self.name,
            invoice: self.number,
            amount: self.amount,
            paid: self.paid,
            due_on: self.due_on,
            created_at: self.created_at,
            closed,
        })
    }
}
