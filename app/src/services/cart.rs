//! Cart area, use cases: the cart of a user or a guest browser, priced by the domain crate (the
//! browser shows the same numbers computed by the same functions), and quick orders by article.

use chrono::Utc;
use domain::Quantity;
use domain::credit::{CreditCheck, check_credit};
use domain::pricing::{Buyer, PricedOrder, price_order};
use domain::quick_order::{ParsedLines, RejectedLine};

use super::catalog::viewer;
use super::context::{Caller, RequestInfo, ServerState, store_err};
use super::crypto::{random_token, token_hash};
use crate::error::{AppError, FieldError};
use crate::model::*;
use crate::ports::{BuyerTerms, CartOwner};

pub const CART_COOKIE: &str = "kabinet_cart";

/// The cart of this request: the signed-in user's, or the guest browser's (by its cookie). With
/// `create`, a guest without a cart cookie gets one (returned so the caller can set it).
pub fn cart_owner(state: &ServerState, info: &RequestInfo, create: bool) -> (Option<CartOwner>, Option<String>) {
    if let Some(c) = &info.caller {
        return (Some(CartOwner::User(c.user.id)), None);
    }
    if let Some(token) = &info.cart_token {
        return (Some(CartOwner::Guest(token_hash(&state.secret, token))), None);
    }
    if create {
        let token = random_token();
        return (Some(CartOwner::Guest(token_hash(&state.secret, &token))), Some(token));
    }
    (None, None)
}

pub fn cart_cookie(state: &ServerState, token: &str) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{CART_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}")
}

pub(crate) fn price(lines: &[CartLine], buyer: &Buyer, viewer: &Viewer) -> Result<PricedOrder, AppError> {
    price_order(&line_inputs(lines), buyer, &viewer.policy)
        .map_err(|e| AppError::Validation(vec![FieldError::from_domain("cart", &e)]))
}

pub async fn cart_view(state: &ServerState, info: &RequestInfo, owner: Option<&CartOwner>) -> Result<Cart, AppError> {
    let (viewer, terms) = viewer(state, info).await?;
    let items = match owner {
        Some(o) => state.store.cart_items(o).await.map_err(store_err(info))?,
        None => Vec::new(),
    };
    let lines: Vec<CartLine> = items
        .iter()
        .map(|(p, qty)| CartLine {
            product_id: p.id,
            sku: p.sku.clone(),
            name: p.name.clone(),
            unit: p.unit,
            // Whatever is stored, the cart shows, prices and orders one valid quantity.
            quantity: Quantity::clamped(*qty, p.unit).thousandths(),
            list_price: p.prices.for_type(viewer.price_type),
            vat: p.vat,
            stock: p.stock,
        })
        .collect();
    let priced = price(&lines, &viewer.buyer, &viewer)?;
    let ids: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
    let at_points = state.store.stock_at_pickup_points(&ids).await.map_err(store_err(info))?;
    let mut pickup_points = state.store.pickup_points().await.map_err(store_err(info))?;
    let wanted: Vec<(i64, i64)> = lines.iter().map(|l| (l.product_id, l.quantity)).collect();
    for point in &mut pickup_points {
        // How many of the cart's lines this point can give out in full.
        let here: Vec<(i64, i64)> =
            at_points.iter().filter(|(loc, ..)| *loc == point.location_id).map(|&(_, p, q)| (p, q)).collect();
        point.quantity = domain::ordering::lines_available(&wanted, &here) as i64;
    }
    let credit = match (&terms, viewer.on_credit && !lines.is_empty()) {
        (Some(t), true) => Some(credit_check(state, info, t, priced.total).await?),
        _ => None,
    };
    Ok(Cart {
        lines,
        pickup_points,
        gross: priced.gross,
        discount: priced.discount,
        total: priced.total,
        vat: priced.vat,
        sources: priced.sources,
        credit,
        viewer,
        online_payment: super::payments::online(state),
    })
}

async fn credit_check(
    state: &ServerState,
    info: &RequestInfo,
    terms: &BuyerTerms,
    total: i64,
) -> Result<CreditCheck, AppError> {
    let caller = info.caller.as_ref().ok_or(AppError::Unauthenticated)?;
    let invoices = state.store.open_invoices(caller.user.organisation_id).await.map_err(store_err(info))?;
    let today = Utc::now().with_timezone(&domain::locale::moscow()).date_naive();
    Ok(check_credit(&terms.credit, &invoices, total, today))
}

/// Reads a quantity for a product's unit; the error names the field.
fn quantity(text: &str, unit: domain::Unit, field: &str) -> Result<Quantity, AppError> {
    Quantity::parse(text, unit).map_err(|e| AppError::Validation(vec![FieldError::from_domain(field, &e)]))
}

/// Adds to the cart (`replace` = false) or sets a line's quantity ("0" removes the line).
pub async fn cart_put(
    state: &ServerState,
    info: &RequestInfo,
    product_id: i64,
    quantity_text: &str,
    replace: bool,
) -> Result<(Cart, Option<String>), AppError> {
    let p = state.store.product(product_id).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let thousandths = if replace && quantity_text.trim() == "0" {
        0
    } else {
        quantity(quantity_text, p.unit, "quantity")?.thousandths()
    };
    let (owner, new_token) = cart_owner(state, info, true);
    let owner = owner.ok_or(AppError::Unauthenticated)?;
    state.store.cart_put(&owner, product_id, thousandths, replace, Utc::now()).await.map_err(store_err(info))?;
    Ok((cart_view(state, info, Some(&owner)).await?, new_token))
}

/// Quick order: lines of `article quantity`; unknown articles and bad quantities are reported,
/// the rest goes into the cart.
pub async fn quick_order(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    parsed: ParsedLines,
) -> Result<QuickOrderResult, AppError> {
    let skus: Vec<String> = parsed.lines.iter().map(|l| l.sku.clone()).collect();
    let products = state.store.products_by_sku(&skus).await.map_err(store_err(info))?;
    let mut result = QuickOrderResult { added: Vec::new(), rejected: parsed.rejected };
    let owner = CartOwner::User(caller.user.id);
    let now = Utc::now();
    for line in parsed.lines {
        let Some(p) = products.iter().find(|p| p.sku.eq_ignore_ascii_case(&line.sku)) else {
            result.rejected.push(RejectedLine {
                line: line.line,
                text: format!("{} {}", line.sku, line.quantity),
                code: "quick_order.unknown_sku".into(),
            });
            continue;
        };
        match Quantity::parse(&line.quantity, p.unit) {
            Ok(q) => {
                state.store.cart_put(&owner, p.id, q.thousandths(), false, now).await.map_err(store_err(info))?;
                result.added.push((p.sku.clone(), p.name.clone(), q.thousandths()));
            }
            Err(e) => result.rejected.push(RejectedLine {
                line: line.line,
                text: format!("{} {}", line.sku, line.quantity),
                code: domain::ErrorCode::code(&e).into(),
            }),
        }
    }
    result.rejected.sort_by_key(|r| r.line);
    Ok(result)
}

/// Rows of cells of an uploaded order file, through the upload guard: the first sheet of an .xlsx
/// workbook (read on a blocking thread within the caps of `uploads::ORDER_FILE`), or a .csv/.txt
/// (UTF-8, `;`, tab or `,` separated). Anything else is refused with a message for the `file` field.
pub async fn order_file_rows(bytes: Vec<u8>) -> Result<Vec<Vec<String>>, AppError> {
    use super::uploads::{self, Kind, ORDER_FILE};
    match uploads::recognise(&bytes, &ORDER_FILE)? {
        Kind::Zip => uploads::parse_blocking(&ORDER_FILE, move || uploads::xlsx_rows(&bytes, &ORDER_FILE)).await,
        Kind::Text => {
            let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
            Ok(domain::quick_order::csv_rows(&text))
        }
    }
}
