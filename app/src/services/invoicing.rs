//! Invoicing area, use cases of accounting staff: recording a payment from the bank statement
//! against an order's invoice (checked by `domain::invoicing`, counted once per document), and the
//! queue of payment checks — orders that wait for their invoice to be paid before assembly.

use chrono::Utc;
use domain::ErrorCode;

use crate::error::{AppError, FieldError};
use crate::model::{BankPaymentReply, PaymentCheck};
use crate::ports::{BankPaymentOutcome, NewBankPayment, StoreError};
use crate::services::context::{Acting, RequestInfo, ServerState, store_err};
use crate::services::ordering::order_for;

/// How many checks one page of the queue shows (the open ones are few; the closed, the latest).
const CHECKS_SHOWN: i64 = 200;

/// Records a payment that arrived at the bank against the invoice of order `id` (as typed: the
/// amount in roubles, the date `YYYY-MM-DD`, the payment order's number). The same document again
/// is answered as a duplicate and changes nothing.
pub async fn record_bank_payment(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    amount: &str,
    paid_on: &str,
    document: &str,
) -> Result<BankPaymentReply, AppError> {
    let caller = acting.caller()?;
    if !crate::policy::ACCOUNTING.contains(&caller.user.role) {
        return Err(AppError::Forbidden);
    }
    let order = state.store.order(id, &acting.reach()?).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let Some(invoice) = order.invoice.as_ref() else { return Err(AppError::field("invoice", "invoice.none")) };
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
    let recorded = NewBankPayment { order_id: id, payment, recorded_by: caller.user.id, now };
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
        let due = domain::invoicing::due_date(invoice.issued_on, invoice.deferral_days);
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
