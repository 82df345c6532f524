//! Ordering area, server functions: checkout, the buyer's orders, repeating one, loyalty.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Cart, CheckoutOutcome, Loyalty, OrderDetail, OrderSummary};

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "checkout")]
pub async fn checkout(
    fulfilment: String,
    pickup_location_id: Option<i64>,
    delivery_address: String,
    payment: String,
    comment: String,
    expected_total: i64,
    guest_name: String,
    guest_phone: String,
) -> Result<CheckoutOutcome, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, .. } = crate::authorize!()?;
    let input = ordering::CheckoutInput {
        fulfilment,
        pickup_location_id,
        delivery_address,
        payment,
        comment,
        expected_total,
        guest_name,
        guest_phone,
    };
    reply(ordering::checkout(&state, &info, input).await)
}

#[server(endpoint = "list_orders")]
pub async fn list_orders() -> Result<Vec<OrderSummary>, AppError> {
    use crate::services::context::*;
    let Call { state, info, acting } = crate::authorize!()?;
    reply(state.store.orders(&acting.reach()?).await.map_err(store_err(&info)))
}

/// An order of the caller's organisation; anyone else's is "not found".
#[server(endpoint = "get_order")]
pub async fn get_order(id: i64) -> Result<OrderDetail, AppError> {
    use crate::services::context::*;
    let Call { state, info, acting } = crate::authorize!()?;
    let order = state.store.order(id, &acting.reach()?).await.map_err(store_err(&info));
    reply(order.and_then(|o| o.ok_or(AppError::NotFound)))
}

#[server(endpoint = "repeat_order")]
pub async fn repeat_order(id: i64) -> Result<Cart, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::repeat_order(&state, &info, &acting, id).await)
}

#[server(endpoint = "get_loyalty")]
pub async fn get_loyalty() -> Result<Loyalty, AppError> {
    use crate::services::{context::*, ordering};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(ordering::loyalty(&state, &info, &caller).await)
}
