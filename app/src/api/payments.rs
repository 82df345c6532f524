//! Payments area, server functions: starting an online payment of an order.

use leptos::prelude::*;

use crate::error::AppError;

/// Starts a new online payment for an unpaid online order of the caller's organisation; answers
/// the provider's page to go to.
#[server(endpoint = "pay_order")]
pub async fn pay_order(id: i64) -> Result<String, AppError> {
    use crate::services::{context::*, payments};
    let Call { state, info, acting } = crate::authorize!()?;
    let order = state.store.order(id, &acting.reach()?).await.map_err(store_err(&info));
    let order = reply(order.and_then(|o| o.ok_or(AppError::NotFound)))?;
    let payable = domain::ordering::payable_online(order.payment_method, order.payment_status, order.status);
    if !payable || !payments::online(&state) {
        return reply(Err(AppError::Conflict(crate::error::FieldError::new("order", "payment.not_payable"))));
    }
    reply(payments::start(&state, &info, order.id, order.total).await)
}
