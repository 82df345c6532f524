//! Invoicing area, server functions: bank payments recorded against an order's invoices, the
//! accountant's queue of payment checks, an order's payment schedule and the managers' payment
//! tasks.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{BankPaymentReply, OrderDetail, PaymentCheck, PaymentTask};

/// Records a payment from the bank statement against one of the order's invoices (`invoice`: its
/// number, empty for the first not yet paid; `amount` in roubles as typed, `paid_on` as
/// `YYYY-MM-DD`, `document`: the payment order's number). Recording the same document again
/// changes nothing and says so.
#[server(endpoint = "record_bank_payment")]
pub async fn record_bank_payment(
    id: i64,
    invoice: String,
    amount: String,
    paid_on: String,
    document: String,
) -> Result<BankPaymentReply, AppError> {
    use crate::services::{context::*, invoicing};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(invoicing::record_bank_payment(&state, &info, &acting, id, &invoice, &amount, &paid_on, &document).await)
}

/// The payment checks within reach: waiting ones by due date (`open`), or the latest closed.
#[server(endpoint = "payment_checks")]
pub async fn payment_checks(open: bool) -> Result<Vec<PaymentCheck>, AppError> {
    use crate::services::{context::*, invoicing};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(invoicing::payment_checks(&state, &info, &acting, open).await)
}

/// Sets the order's payment schedule: `plan` holds a `YYYY-MM-DD;share` line per instalment, the
/// share in roubles or as a percentage (`30 %`). Answers the order with its new invoices.
#[server(endpoint = "set_payment_schedule")]
pub async fn set_payment_schedule(id: i64, plan: String) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, invoicing};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(invoicing::set_payment_schedule(&state, &info, &acting, id, &plan).await)
}

/// The managers' payment tasks within reach: open ones by due day (`open`), or the latest closed.
#[server(endpoint = "payment_tasks")]
pub async fn payment_tasks(open: bool) -> Result<Vec<PaymentTask>, AppError> {
    use crate::services::{context::*, invoicing};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(invoicing::payment_tasks(&state, &info, &acting, open).await)
}

/// Closes a payment task as done, with a note of what was agreed with the client.
#[server(endpoint = "close_payment_task")]
pub async fn close_payment_task(id: i64, note: String) -> Result<(), AppError> {
    use crate::services::{context::*, invoicing};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(invoicing::close_payment_task(&state, &info, &acting, id, &note).await)
}
