//! Catalog, cart, checkout and orders.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::shop::{
    Cart, CatalogPage, CheckoutOutcome, Loyalty, OrderDetail, OrderSummary, ProductPage, QuickOrderResult,
};

/// One catalog page for a query string (`q=…&cat=…&brand=…`, see `SearchParams::from_pairs`),
/// priced for the caller.
#[server(endpoint = "search_catalog")]
pub async fn search_catalog(query: String) -> Result<CatalogPage, AppError> {
    use crate::services::{context::*, shop};
    let (state, info) = authorize("/api/search_catalog")?;
    reply(shop::search(&state, &info, &query).await)
}

#[server(endpoint = "get_product")]
pub async fn get_product(id: i64) -> Result<ProductPage, AppError> {
    use crate::services::{context::*, shop};
    let (state, info) = authorize("/api/get_product")?;
    reply(shop::product_page(&state, &info, id).await)
}

#[server(endpoint = "get_cart")]
pub async fn get_cart() -> Result<Cart, AppError> {
    use crate::services::{context::*, shop};
    let (state, info) = authorize("/api/get_cart")?;
    let (owner, _) = shop::cart_owner(&state, &info, false);
    reply(shop::cart_view(&state, &info, owner.as_ref()).await)
}

/// Adds `quantity` (e.g. `2` or `12,5` for metres) of a product to the cart.
#[server(endpoint = "cart_add")]
pub async fn cart_add(product_id: i64, quantity: String) -> Result<Cart, AppError> {
    use crate::services::{context::*, shop};
    let (state, info) = authorize("/api/cart_add")?;
    let (cart, new_token) = reply(shop::cart_put(&state, &info, product_id, &quantity, false).await)?;
    if let Some(token) = new_token {
        append_cookie(shop::cart_cookie(&state, &token));
    }
    Ok(cart)
}

/// Sets a cart line's quantity; `0` removes the line.
#[server(endpoint = "cart_set")]
pub async fn cart_set(product_id: i64, quantity: String) -> Result<Cart, AppError> {
    use crate::services::{context::*, shop};
    let (state, info) = authorize("/api/cart_set")?;
    let (cart, new_token) = reply(shop::cart_put(&state, &info, product_id, &quantity, true).await)?;
    if let Some(token) = new_token {
        append_cookie(shop::cart_cookie(&state, &token));
    }
    Ok(cart)
}

/// Pasted lines of `article quantity` go into the cart; what could not be read is listed.
#[server(endpoint = "quick_order")]
pub async fn quick_order(lines: String) -> Result<QuickOrderResult, AppError> {
    use crate::services::{context::*, shop};
    let (state, info, caller) = authorize_caller("/api/quick_order")?;
    if lines.len() > 200_000 {
        return reply(Err(AppError::field("lines", "quick_order.too_large")));
    }
    reply(shop::quick_order(&state, &info, &caller, domain::quick_order::parse_text(&lines)).await)
}

/// Quick order from an uploaded file (.xlsx or .csv, field `file`): its rows of article and
/// quantity go into the cart like pasted lines; the answer lists what was added and what was not.
#[server(endpoint = "quick_order_file", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn quick_order_file(data: leptos::server_fn::codec::MultipartData) -> Result<QuickOrderResult, AppError> {
    use crate::services::{context::*, shop};
    let (state, info, caller) = authorize_caller("/api/quick_order_file")?;
    let mut form = data.into_inner().ok_or_else(|| reply_error(AppError::field("file", "quick_order.file_empty")))?;
    let unreadable = || reply_error(AppError::field("file", "quick_order.file_unreadable"));
    let mut bytes = Vec::new();
    // A file over the limit is still read to the end (up to a hard cap, discarding it): answering
    // mid-upload would break the connection and the sender would never see the message.
    let mut received = 0usize;
    while let Some(mut field) = form.next_field().await.map_err(|_| unreadable())? {
        if field.name() != Some("file") {
            continue;
        }
        while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
            received += chunk.len();
            if received > 8 * shop::ORDER_FILE_MAX_BYTES {
                break;
            }
            if received <= shop::ORDER_FILE_MAX_BYTES {
                bytes.extend_from_slice(&chunk);
            }
        }
    }
    if received > shop::ORDER_FILE_MAX_BYTES {
        return reply(Err(AppError::field("file", "quick_order.too_large")));
    }
    let rows = reply(shop::order_file_rows(&bytes))?;
    reply(shop::quick_order(&state, &info, &caller, domain::quick_order::parse_rows(rows)).await)
}

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
    use crate::services::{context::*, shop};
    let (state, info) = authorize("/api/checkout")?;
    let input = shop::CheckoutInput {
        fulfilment,
        pickup_location_id,
        delivery_address,
        payment,
        comment,
        expected_total,
        guest_name,
        guest_phone,
    };
    reply(shop::checkout(&state, &info, input).await)
}

#[server(endpoint = "list_orders")]
pub async fn list_orders() -> Result<Vec<OrderSummary>, AppError> {
    use crate::services::context::*;
    let (state, info, caller) = authorize_caller("/api/list_orders")?;
    reply(state.commerce.orders(caller.user.organisation_id).await.map_err(|e| info.store_error(e)))
}

/// An order of the caller's organisation; anyone else's is "not found".
#[server(endpoint = "get_order")]
pub async fn get_order(id: i64) -> Result<OrderDetail, AppError> {
    use crate::services::context::*;
    let (state, info, caller) = authorize_caller("/api/get_order")?;
    let order = state.commerce.order(id, caller.user.organisation_id).await.map_err(|e| info.store_error(e));
    reply(order.and_then(|o| o.ok_or(AppError::NotFound)))
}

#[server(endpoint = "repeat_order")]
pub async fn repeat_order(id: i64) -> Result<Cart, AppError> {
    use crate::services::{context::*, shop};
    let (state, info, caller) = authorize_caller("/api/repeat_order")?;
    reply(shop::repeat_order(&state, &info, &caller, id).await)
}

/// Starts a new online payment for an unpaid online order of the caller's organisation; answers
/// the provider's page to go to.
#[server(endpoint = "pay_order")]
pub async fn pay_order(id: i64) -> Result<String, AppError> {
    use crate::services::{context::*, payments};
    let (state, info, caller) = authorize_caller("/api/pay_order")?;
    let order = state.commerce.order(id, caller.user.organisation_id).await.map_err(|e| info.store_error(e));
    let order = reply(order.and_then(|o| o.ok_or(AppError::NotFound)))?;
    use crate::model::shop::{PaymentMethod, PaymentStatus};
    if order.payment_method != PaymentMethod::Online
        || order.payment_status == PaymentStatus::Paid
        || order.status == "cancelled"
    {
        return reply(Err(AppError::Conflict(crate::error::FieldError::new("order", "payment.not_payable"))));
    }
    reply(payments::start(&state, &info, order.id, order.total).await)
}

#[server(endpoint = "get_loyalty")]
pub async fn get_loyalty() -> Result<Loyalty, AppError> {
    use crate::services::{context::*, shop};
    let (state, info, caller) = authorize_caller("/api/get_loyalty")?;
    reply(shop::loyalty(&state, &info, &caller).await)
}

/// Staff: a product's prices (roubles, per price type) and the available quantity at one
/// location. Open catalog and product pages show the change within a second.
#[server(endpoint = "set_price_stock")]
pub async fn set_price_stock(
    product_id: i64,
    retail: String,
    wholesale: String,
    dealer: String,
    location_id: i64,
    quantity: String,
) -> Result<(), AppError> {
    use crate::services::{context::*, shop};
    let (state, info) = authorize("/api/set_price_stock")?;
    reply(
        shop::set_price_stock(&state, &info, product_id, [&retail, &wholesale, &dealer], location_id, &quantity).await,
    )
}
