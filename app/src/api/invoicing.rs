//! Invoicing area, server functions: bank payments recorded against an order's invoice and the
//! accountant's queue of payment checks.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{BankPaymentReply, PaymentCheck};

/// Records a payment from the bank statement against the order's invoice (`amount` in roubles as
/// typed, `paid_on` as `YYYY-MM-DD`, `document`: the payment order's number). Recording the same
/// document again changes nothing and says so.
#[server(endpoint = "record_bank_payment")]
pub async fn record_bank_payment(
    id: i64,
    amount: String,
    paid_on: String,
    document: String,
) -> Result<BankPaymentReply, AppError> {
    use crate::services::{context::*, invoicing};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(invoicing::record_bank_payment(&state, &info, &acting, id, &amount, &paid_on, &document).await)
}

/// The payment checks within reach: waiting ones by due date (`open`), or the latest closed.
#[server(endpoint = "payment_checks")]
pub async fn payment_checks(open: bool) -> Result<Vec<PaymentCheck>, AppError> {
    use crate::services::{context::*, invoicing};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(invoicing::payment_checks(&state, &info, &acting, open).await)
}
