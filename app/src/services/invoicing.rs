//! Invoicing area, use cases: recording a payment from the bank statement against one of an
//! order's invoices (checked by `domain::invoicing`, counted once per document), the accountant's
//! queue of payment checks (orders that wait for their invoice to be paid before assembly), the
//! manager's payment schedule of an order (one invoice per instalment, seed 001) and the
//! managers' payment tasks on each invoice's due day.

use chrono::Utc;
use domain::ErrorCode;

use crate::error::{AppError, FieldError};
use crate::model::{BankPaymentReply, OrderDetail, PaymentCheck, PaymentTask};
use crate::ports::{BankPaymentOutcome, NewBankPayment, NewSchedule, StoreError};
use crate::services::context::{Acting, RequestInfo, ServerState, store_err};
use crate::services::ordering::order_for;

/// How many checks one page of the queue shows (the open ones are few; the closed, the latest).
const CHECKS_SHOWN: i64 = 200;

/// Records a payment that arrived at the bank against invoice `invoice` (its number; empty: the
/// first one not yet paid) of order `id` (as typed: the amount in roubles, the date `YYYY-MM-DD`,
/// the payment order's number). The same document again is answered as a duplicate and changes
/// nothing.
#[allow(clippy::too_many_arguments)]
pub async fn record_bank_payment(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    invoice: &str,
    amount: &str,
    paid_on: &str,
    document: &str,
) -> Result<BankPaymentReply, AppError> {
    let caller = acting.caller()?;
    if !crate::policy::ACCOUNTING.contains(&caller.user.role) {
        return Err(AppError::Forbidden);
    }
    let order = state.store.order(id, &acting.reach()?).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let chosen = if invoice.trim().is_empty() {
        order.invoices.iter().find(|i| i.outstanding() > 0).or(order.invoices.first())
    } else {
        order.invoices.iter().find(|i| i.number == invoice.trim())
    };
    let Some(invoice) = chosen else { return Err(AppError::field("invoice", "invoice.none")) };
    if invoice.cancelled {
        return Err(AppError::field("invoice", "invoice.void"));
    }
    // A second click or a retried request: the document is already there.
    let number = domain::invoicing::document_number(document);
    if invoice.payments.iter().any(|p| p.document == number) {
        return Ok(BankPaymentReply { duplicate: true, order: order_for(state, info, acting, id).await? });
    }
    let now = Utc::now();
    let today = now.with_timezone(&domain::locale::moscow()).date_naive();
    let payment =
        domain::invoicing::bank_payment(amount, paid_on, document, invoice.issued_on, invoice.outstanding(), today)
            .map_err(|errors| {
                AppError::Validation(errors.iter().map(|e| FieldError::new(e.field(), e.code())).collect())
            })?;
    let mut actor = info.actor();
    actor.user_id = Some(caller.user.id);
    let recorded =
        NewBankPayment { order_id: id, invoice: invoice.number.clone(), payment, recorded_by: caller.user.id, now };
    let duplicate = match state.store.record_bank_payment(&recorded, &actor).await {
        Ok(BankPaymentOutcome::Recorded { .. }) => false,
        Ok(BankPaymentOutcome::Duplicate) => true,
        Err(StoreError::Conflict("invoice")) => return Err(AppError::field("invoice", "invoice.void")),
        Err(StoreError::Conflict(_)) => return Err(AppError::Conflict(FieldError::new("amount", "invoice.changed"))),
        Err(StoreError::NotFound) => return Err(AppError::field("invoice", "invoice.none")),
        Err(e) => return Err(info.store_error(e)),
    };
    Ok(BankPaymentReply { duplicate, order: order_for(state, info, acting, id).await? })
}

/// Reminds buyers of unpaid invoices on their due day and, once past it, them and their manager
/// (each reminder once per invoice); answers how many were sent. Run by the server's housekeeping.
pub async fn remind_payments(state: &ServerState, now: chrono::DateTime<Utc>) -> Result<usize, StoreError> {
    let today = now.with_timezone(&domain::locale::moscow()).date_naive();
    let mut sent = 0;
    for invoice in state.store.invoices_to_remind(500).await? {
        let due =
            invoice.due_on.unwrap_or_else(|| domain::invoicing::due_date(invoice.issued_on, invoice.deferral_days));
        let Some(reminder) = domain::invoicing::reminder(invoice.issued_on, due, today, &invoice.sent) else {
            continue;
        };
        if state.store.remind(&invoice, reminder, due, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// The payment checks within the caller's reach: the open ones by due date, or the latest closed.
pub async fn payment_checks(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    open: bool,
) -> Result<Vec<PaymentCheck>, AppError> {
    state.store.payment_checks(&acting.reach()?, open, CHECKS_SHOWN).await.map_err(store_err(info))
}

/// The longest schedule text read.
const PLAN_MAX_BYTES: usize = 2048;

/// Whether `order` may be given a (new) payment schedule now, by whom: sales staff, an order with
/// invoices nothing was paid against and none void, that does not wait for its payment before
/// assembly (its single invoice is the accountant's check) and is not finished.
pub fn may_schedule(order: &OrderDetail, role: domain::Role) -> bool {
    use domain::status::OrderStatus;
    crate::policy::ORDER_STAFF.contains(&role)
        && !order.invoices.is_empty()
        && order.invoices.iter().all(|i| i.paid == 0 && !i.cancelled && i.check_due.is_none())
        && !matches!(order.status, OrderStatus::Cancelled | OrderStatus::Completed)
}

/// Sets the payment schedule of order `id` from the rows as typed (`plan`: a `date;share` line
/// each, see `domain::invoicing::schedule`): checked against the order's total by the domain
/// crate, then the order's invoices are replaced by one per instalment.
pub async fn set_payment_schedule(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    plan: &str,
) -> Result<OrderDetail, AppError> {
    let caller = acting.caller()?;
    // Twelve rows of a date and a sum are a few hundred bytes: anything far longer is not a plan.
    if plan.len() > PLAN_MAX_BYTES {
        return Err(AppError::field("plan", "schedule.too_many"));
    }
    let order = order_for(state, info, acting, id).await?;
    if !order.may_schedule {
        let code = if order.invoices.is_empty() { "invoice.none" } else { "schedule.locked" };
        return Err(AppError::field("plan", code));
    }
    let now = Utc::now();
    let today = now.with_timezone(&domain::locale::moscow()).date_naive();
    let rows = domain::invoicing::schedule::decode(plan);
    let instalments = domain::invoicing::schedule::instalments(&rows, order.total, today).map_err(|problems| {
        AppError::Validation(problems.iter().map(|p| FieldError::new(&p.field, p.code)).collect())
    })?;
    let base_number =
        domain::invoicing::invoice_number(id, order.created_at.with_timezone(&domain::locale::moscow()).date_naive());
    let schedule = NewSchedule { order_id: id, total: order.total, base_number, issued_on: today, instalments, now };
    let mut actor = info.actor();
    actor.user_id = Some(caller.user.id);
    match state.store.set_schedule(&schedule, &actor).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(AppError::Conflict(FieldError::new("plan", "schedule.changed"))),
        Err(StoreError::NotFound) => return Err(AppError::field("plan", "invoice.none")),
        Err(e) => return Err(info.store_error(e)),
    }
    order_for(state, info, acting, id).await
}

/// The payment tasks within the caller's reach: the open ones by due day, or the latest closed.
pub async fn payment_tasks(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    open: bool,
) -> Result<Vec<PaymentTask>, AppError> {
    state.store.payment_tasks(&acting.reach()?, open, CHECKS_SHOWN).await.map_err(store_err(info))
}

/// The longest note kept on a closed task.
pub const TASK_NOTE_MAX: usize = 500;

/// Closes a payment task within reach as done, with a note of what was agreed with the client.
pub async fn close_payment_task(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    note: &str,
) -> Result<(), AppError> {
    let caller = acting.caller()?;
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::field("note", "task.note_missing"));
    }
    if note.chars().count() > TASK_NOTE_MAX {
        return Err(AppError::field("note", "task.note_long"));
    }
    let mut actor = info.actor();
    actor.user_id = Some(caller.user.id);
    match state.store.close_payment_task(id, &acting.reach()?, note, &actor, Utc::now()).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(_)) => Err(AppError::Conflict(FieldError::new("note", "task.closed"))),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(info.store_error(e)),
    }
}
