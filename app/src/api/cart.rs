//! Cart area, server functions: the cart of a user or a guest browser, quick orders by article.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Cart, CartSummary, QuickOrderResult};

#[server(endpoint = "get_cart")]
pub async fn get_cart() -> Result<Cart, AppError> {
    use crate::services::{cart, context::*};
    let Call { state, info, .. } = crate::authorize!()?;
    let (owner, _) = cart::cart_owner(&state, &info, false);
    reply(cart::cart_view(&state, &info, owner.as_ref()).await)
}

/// Adds `quantity` (e.g. `2` or `12,5` for metres) of a product to the cart; answers with the
/// cart's size and total, all a catalog page shows (the cart itself is `get_cart`).
#[server(endpoint = "cart_add")]
pub async fn cart_add(product_id: i64, quantity: String) -> Result<CartSummary, AppError> {
    use crate::services::{cart, context::*};
    let Call { state, info, .. } = crate::authorize!()?;
    let (cart, new_token) = reply(cart::cart_put(&state, &info, product_id, &quantity, false).await)?;
    if let Some(token) = new_token {
        append_cookie(cart::cart_cookie(&state, &token));
    }
    Ok(CartSummary::of(&cart))
}

/// Sets a cart line's quantity; `0` removes the line.
#[server(endpoint = "cart_set")]
pub async fn cart_set(product_id: i64, quantity: String) -> Result<Cart, AppError> {
    use crate::services::{cart, context::*};
    let Call { state, info, .. } = crate::authorize!()?;
    let (cart, new_token) = reply(cart::cart_put(&state, &info, product_id, &quantity, true).await)?;
    if let Some(token) = new_token {
        append_cookie(cart::cart_cookie(&state, &token));
    }
    Ok(cart)
}

/// Pasted lines of `article quantity` go into the cart; what could not be read is listed.
#[server(endpoint = "quick_order")]
pub async fn quick_order(lines: String) -> Result<QuickOrderResult, AppError> {
    use crate::services::{cart, context::*};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    if lines.len() > 200_000 {
        return reply(Err(AppError::field("lines", "quick_order.too_large")));
    }
    reply(cart::quick_order(&state, &info, &caller, domain::quick_order::parse_text(&lines)).await)
}

/// Quick order from an uploaded file (.xlsx or .csv, field `file`): its rows of article and
/// quantity go into the cart like pasted lines; the answer lists what was added and what was not.
#[server(endpoint = "quick_order_file", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn quick_order_file(data: leptos::server_fn::codec::MultipartData) -> Result<QuickOrderResult, AppError> {
    use crate::services::{cart, context::*};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    let limit = crate::services::uploads::ORDER_FILE.max_bytes;
    let mut form = data.into_inner().ok_or_else(|| reply_error(AppError::field("file", "upload.empty")))?;
    let unreadable = || reply_error(AppError::field("file", "upload.unreadable"));
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
            if received > 8 * limit {
                break;
            }
            if received <= limit {
                bytes.extend_from_slice(&chunk);
            }
        }
    }
    if received > limit {
        return reply(Err(AppError::field("file", "upload.too_large")));
    }
    let rows = reply(cart::order_file_rows(bytes).await)?;
    reply(cart::quick_order(&state, &info, &caller, domain::quick_order::parse_rows(rows)).await)
}
