//! Ordering area, server functions: checkout, the buyer's orders, repeating one, loyalty.

use domain::status::OrderStatus;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Cart, CheckoutForm, CheckoutOutcome, Loyalty, OrderDetail, OrderFilter, OrderQueue, OrderSummary};

/// Places the order from the cart (`form[fulfilment]=pickup&form[payment]=online&…`).
#[server(endpoint = "checkout")]
pub async fn checkout(form: CheckoutForm) -> Result<CheckoutOutcome, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, .. } = crate::authorize!()?;
    let placed = reply(ordering::checkout(&state, &info, form).await)?;
    if let Some(token) = placed.new_session {
        append_cookie(session_cookie(&state, &token));
    }
    Ok(placed.outcome)
}

#[server(endpoint = "list_orders")]
pub async fn list_orders() -> Result<Vec<OrderSummary>, AppError> {
    use crate::services::context::*;
    let Call { state, info, acting } = crate::authorize!()?;
    reply(state.store.orders(&acting.reach()?).await.map_err(store_err(&info)))
}

/// An order of the caller's organisation, with the moves the caller may make; anyone else's is
/// "not found".
#[server(endpoint = "get_order")]
pub async fn get_order(id: i64) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::order_for(&state, &info, &acting, id).await)
}

/// Moves the caller's order along its workflow (a buyer: cancel before assembly, confirm or send
/// back an order awaiting confirmation); answers the order as it now is.
#[server(endpoint = "move_order")]
pub async fn move_order(id: i64, to: OrderStatus, note: String) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::move_order(&state, &info, &acting, id, to, &note).await)
}

/// The staff queue (sales managers, heads, administrators, each within their reach).
#[server(endpoint = "staff_orders")]
pub async fn staff_orders(filter: OrderFilter) -> Result<OrderQueue, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::order_queue(&state, &info, &acting, filter).await)
}

/// An order as staff see it, with the moves the caller's role may make.
#[server(endpoint = "staff_order")]
pub async fn staff_order(id: i64) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::order_for(&state, &info, &acting, id).await)
}

/// Staff move an order along its workflow (a cancellation needs a reason).
#[server(endpoint = "staff_move_order")]
pub async fn staff_move_order(id: i64, to: OrderStatus, note: String) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::move_order(&state, &info, &acting, id, to, &note).await)
}

/// Staff record how much of each line is now picked in all (`picked[i]` for line `i`, as typed;
/// empty is zero); when all is picked the order becomes assembled.
#[server(endpoint = "record_picks")]
pub async fn record_picks(id: i64, picked: Vec<String>) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::assembly::record_picks(&state, &info, &acting, id, &picked).await)
}

/// Staff record a shipment of `amounts[i]` of each line (partial shipments allowed) with an
/// optional note; when all has left the order becomes shipped.
#[server(endpoint = "record_shipment")]
pub async fn record_shipment(id: i64, amounts: Vec<String>, note: String) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::assembly::record_shipment(&state, &info, &acting, id, &amounts, &note).await)
}

/// The buyer writes to the seller about their order (staff see it).
#[server(endpoint = "comment_order")]
pub async fn comment_order(id: i64, body: String) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::comment_order(&state, &info, &acting, id, &body, true).await)
}

/// Staff comment on an order: an internal note, or (`for_buyer`) a message the buyer sees.
#[server(endpoint = "staff_comment_order")]
pub async fn staff_comment_order(id: i64, body: String, for_buyer: bool) -> Result<OrderDetail, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::comment_order(&state, &info, &acting, id, &body, for_buyer).await)
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

/// The sales channels' settings (administrators).
#[server(endpoint = "sales_channels")]
pub async fn sales_channels() -> Result<Vec<crate::model::ChannelSettings>, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(ordering::channels::sales_channels(&state, &info).await)
}

/// Whether the channel's orders paid by invoice wait for the payment before assembly; answers every
/// channel's settings as they now are.
#[server(endpoint = "set_channel_prepay")]
pub async fn set_channel_prepay(
    channel: domain::ordering::workflow::SalesChannel,
    prepay: bool,
) -> Result<Vec<crate::model::ChannelSettings>, AppError> {
    use crate::services::{context::*, ordering};
    let Call { state, info, acting } = crate::authorize!()?;
    reply(ordering::channels::set_channel_prepay(&state, &info, &acting, channel, prepay).await)
}
