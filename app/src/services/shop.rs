//! Catalog, cart and checkout use cases: who is looking decides the prices (domain pricing), the
//! store does the rest. The server's numbers are the truth; the browser shows the same ones
//! computed by the same domain functions.

use chrono::Utc;
use domain::credit::{CreditCheck, CreditDecision, check_credit};
use domain::pricing::{Buyer, PriceType, PricedOrder, price_order, shelf_price};
use domain::quick_order::{ParsedLines, RejectedLine};
use domain::{OrgKind, Percent, PersonName, Phone, Quantity, StatusMachine, status::OrderStatus};

use super::context::{Caller, RequestInfo, ServerState};
use super::crypto::{random_token, token_hash};
use crate::error::{AppError, FieldError};
use crate::model::shop::*;
use crate::ports::{
    BuyerTerms, CartOwner, CatalogQuery, Category, NewOrder, NewOrderLine, PlaceError, ProductRecord, StoreError,
};

pub const CART_COOKIE: &str = "kabinet_cart";

fn store_err(info: &RequestInfo) -> impl Fn(StoreError) -> AppError + '_ {
    move |e| info.store_error(e)
}

/// Who is looking at the catalog and how they buy.
pub async fn viewer(state: &ServerState, info: &RequestInfo) -> Result<(Viewer, Option<BuyerTerms>), AppError> {
    let policy = state.commerce.discount_policy().await.map_err(store_err(info))?;
    let Some(caller) = &info.caller else {
        let buyer = Buyer {
            personal_discount: Percent::ZERO,
            accumulated: 0,
            placed_online: true,
            paid_online: false,
            manual_order_discount: Percent::ZERO,
        };
        return Ok((Viewer { signed_in: false, price_type: PriceType::Retail, buyer, policy, on_credit: false }, None));
    };
    let terms = state.commerce.buyer_terms(caller.user.organisation_id).await.map_err(store_err(info))?;
    let buyer = Buyer {
        personal_discount: Percent::from_basis_points(terms.personal_discount_bp).unwrap_or(Percent::ZERO),
        accumulated: terms.accumulated,
        placed_online: true,
        paid_online: false,
        manual_order_discount: Percent::ZERO,
    };
    let on_credit =
        matches!(terms.org_kind, OrgKind::Client | OrgKind::Dealer) && terms.price_type != PriceType::Retail;
    let viewer = Viewer { signed_in: true, price_type: terms.price_type, buyer, policy, on_credit };
    Ok((viewer, Some(terms)))
}

pub fn card(p: &ProductRecord, viewer: &Viewer) -> ProductCard {
    let shelf = shelf_price(&p.prices, viewer.price_type, &viewer.buyer, &viewer.policy);
    ProductCard {
        id: p.id,
        sku: p.sku.clone(),
        name: p.name.clone(),
        brand: p.brand.clone(),
        category: p.category.clone(),
        unit: p.unit,
        list_price: shelf.list,
        price: shelf.price,
        stock: p.stock,
    }
}

/// The category with this slug, every category below it, and the path to it from the root.
fn resolve_category(categories: &[Category], slug: &str) -> Option<(Vec<i64>, Vec<(String, String)>)> {
    let chosen = categories.iter().find(|c| c.slug == slug)?;
    let mut ids = vec![chosen.id];
    let mut i = 0;
    while i < ids.len() {
        let parent = ids[i];
        ids.extend(categories.iter().filter(|c| c.parent_id == Some(parent)).map(|c| c.id));
        i += 1;
    }
    Some((ids, breadcrumbs(categories, chosen.id)))
}

fn breadcrumbs(categories: &[Category], id: i64) -> Vec<(String, String)> {
    let mut path = Vec::new();
    let mut current = categories.iter().find(|c| c.id == id);
    while let Some(c) = current {
        path.push((c.slug.clone(), c.name.clone()));
        current = c.parent_id.and_then(|p| categories.iter().find(|x| x.id == p));
        if path.len() > 10 {
            break;
        }
    }
    path.reverse();
    path
}

fn roubles_to_kopecks(r: Option<i64>) -> Option<i64> {
    r.and_then(|r| r.checked_mul(100))
}

pub async fn search(state: &ServerState, info: &RequestInfo, query: &str) -> Result<CatalogPage, AppError> {
    search_rows(state, info, query, None).await
}

/// At most this many rows go into one Excel export.
pub const EXPORT_LIMIT: i64 = 100_000;

/// One row of the Excel export.
pub struct ExportRow {
    pub card: ProductCard,
}

/// Every product of the filtered view (up to [`EXPORT_LIMIT`]), priced for the viewer.
pub async fn export_rows(state: &ServerState, info: &RequestInfo, query: &str) -> Result<Vec<ExportRow>, AppError> {
    let page = search_rows(state, info, query, Some(EXPORT_LIMIT)).await?;
    Ok(page.items.into_iter().map(|card| ExportRow { card }).collect())
}

async fn search_rows(
    state: &ServerState,
    info: &RequestInfo,
    query: &str,
    all: Option<i64>,
) -> Result<CatalogPage, AppError> {
    let pairs = crate::model::shop::parse_query(query);
    let params = SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (viewer, _) = viewer(state, info).await?;
    let categories = state.commerce.categories().await.map_err(store_err(info))?;
    let (category_ids, crumbs) = match &params.category {
        Some(slug) => resolve_category(&categories, slug).ok_or(AppError::NotFound)?,
        None => (Vec::new(), Vec::new()),
    };
    let q = CatalogQuery {
        terms: domain::search::query_terms(&params.q),
        category_ids,
        brands: params.brands.clone(),
        price_type: viewer.price_type,
        price_min: roubles_to_kopecks(params.price_min),
        price_max: roubles_to_kopecks(params.price_max),
        in_stock: params.in_stock,
        attributes: params.attributes.clone(),
        attribute_facets: params.category.is_some(),
        sort: params.sort,
        offset: if all.is_some() { 0 } else { i64::from(params.page.saturating_sub(1)) * i64::from(PAGE_SIZE) },
        limit: all.unwrap_or(i64::from(PAGE_SIZE)),
    };
    let result = state.commerce.search(&q).await.map_err(store_err(info))?;

    // Categories: the roots (counts rolled up) or the children of the chosen one.
    let chosen = params.category.as_ref().and_then(|s| categories.iter().find(|c| &c.slug == s)).map(|c| c.id);
    let count_below = |id: i64| -> i64 {
        let (ids, _) = resolve_category(
            &categories,
            &categories.iter().find(|c| c.id == id).map(|c| c.slug.clone()).unwrap_or_default(),
        )
        .unwrap_or_default();
        result.categories.iter().filter(|(c, _)| ids.contains(c)).map(|(_, n)| n).sum()
    };
    let category_facet = categories
        .iter()
        .filter(|c| c.parent_id == chosen)
        .map(|c| FacetValue { value: c.slug.clone(), label: c.name.clone(), count: count_below(c.id), selected: false })
        .filter(|f| f.count > 0)
        .collect();
    let mut brands: Vec<FacetValue> = result
        .brands
        .iter()
        .map(|(b, n)| FacetValue { value: b.clone(), label: b.clone(), count: *n, selected: params.brands.contains(b) })
        .collect();
    for b in &params.brands {
        if !brands.iter().any(|f| &f.value == b) {
            brands.push(FacetValue { value: b.clone(), label: b.clone(), count: 0, selected: true });
        }
    }
    brands.sort_by(|a, b| a.label.to_lowercase().cmp(&b.label.to_lowercase()));
    let mut attributes: Vec<AttributeFacet> = Vec::new();
    for (name, value, count) in &result.attributes {
        let selected = params.attributes.iter().any(|(n, v)| n == name && v == value);
        let facet = FacetValue { value: value.clone(), label: value.clone(), count: *count, selected };
        match attributes.iter_mut().find(|a| &a.name == name) {
            Some(a) => a.values.push(facet),
            None => attributes.push(AttributeFacet { name: name.clone(), values: vec![facet] }),
        }
    }
    for a in &mut attributes {
        // Numbers in numeric order (4, 6, 10 rather than 10, 4, 6).
        a.values.sort_by(|x, y| {
            match (x.value.replace(',', ".").parse::<f64>(), y.value.replace(',', ".").parse::<f64>()) {
                (Ok(p), Ok(q)) => p.total_cmp(&q),
                _ => x.value.cmp(&y.value),
            }
        });
    }
    let pages = u32::try_from((result.total + i64::from(PAGE_SIZE) - 1) / i64::from(PAGE_SIZE)).unwrap_or(u32::MAX);
    Ok(CatalogPage {
        items: result.rows.iter().map(|p| card(p, &viewer)).collect(),
        total: result.total,
        pages,
        facets: Facets {
            categories: category_facet,
            brands,
            attributes,
            in_stock: result.in_stock,
            price_min: result.price_range.map(|r| r.0),
            price_max: result.price_range.map(|r| r.1),
        },
        breadcrumbs: crumbs,
        params,
    })
}

pub async fn product_page(state: &ServerState, info: &RequestInfo, id: i64) -> Result<ProductPage, AppError> {
    let (viewer, _) = viewer(state, info).await?;
    let store = &state.commerce;
    let p = store.product(id).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let attributes = store.product_attributes(id).await.map_err(store_err(info))?;
    let stock = store.product_stock(id).await.map_err(store_err(info))?;
    let analogs = store.analogs(id).await.map_err(store_err(info))?;
    let categories = store.categories().await.map_err(store_err(info))?;
    Ok(ProductPage {
        card: card(&p, &viewer),
        description: p.description.clone(),
        attributes,
        warranty_months: p.warranty_months,
        returnable: p.returnable,
        vat: p.vat,
        stock,
        analogs: analogs.iter().map(|a| card(a, &viewer)).collect(),
        breadcrumbs: breadcrumbs(&categories, p.category_id),
        staff_prices: info
            .caller
            .as_ref()
            .filter(|c| crate::policy::PRICING_STAFF.contains(&c.user.role))
            .map(|_| (p.prices.retail, p.prices.wholesale, p.prices.dealer)),
    })
}

// ---------------------------------------------------------------------------------------------
// Cart

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

fn price(lines: &[CartLine], buyer: &Buyer, viewer: &Viewer) -> Result<PricedOrder, AppError> {
    price_order(&line_inputs(lines), buyer, &viewer.policy)
        .map_err(|e| AppError::Validation(vec![FieldError::from_domain("cart", &e)]))
}

pub async fn cart_view(state: &ServerState, info: &RequestInfo, owner: Option<&CartOwner>) -> Result<Cart, AppError> {
    let (viewer, terms) = viewer(state, info).await?;
    let items = match owner {
        Some(o) => state.commerce.cart_items(o).await.map_err(store_err(info))?,
        None => Vec::new(),
    };
    let lines: Vec<CartLine> = items
        .iter()
        .map(|(p, qty)| CartLine {
            product_id: p.id,
            sku: p.sku.clone(),
            name: p.name.clone(),
            unit: p.unit,
            quantity: *qty,
            list_price: p.prices.for_type(viewer.price_type),
            vat: p.vat,
            stock: p.stock,
        })
        .collect();
    let priced = price(&lines, &viewer.buyer, &viewer)?;
    let ids: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
    let at_points = state.commerce.stock_at_pickup_points(&ids).await.map_err(store_err(info))?;
    let mut pickup_points = state.commerce.pickup_points().await.map_err(store_err(info))?;
    for point in &mut pickup_points {
        // How many of the cart's lines this point can give out in full.
        point.quantity = lines
            .iter()
            .filter(|l| {
                at_points
                    .iter()
                    .any(|(loc, pid, q)| *loc == point.location_id && *pid == l.product_id && *q >= l.quantity)
            })
            .count() as i64;
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
    })
}

async fn credit_check(
    state: &ServerState,
    info: &RequestInfo,
    terms: &BuyerTerms,
    total: i64,
) -> Result<CreditCheck, AppError> {
    let caller = info.caller.as_ref().ok_or(AppError::Unauthenticated)?;
    let invoices = state.commerce.open_invoices(caller.user.organisation_id).await.map_err(store_err(info))?;
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
    let p = state.commerce.product(product_id).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let thousandths = if replace && quantity_text.trim() == "0" {
        0
    } else {
        quantity(quantity_text, p.unit, "quantity")?.thousandths()
    };
    let (owner, new_token) = cart_owner(state, info, true);
    let owner = owner.ok_or(AppError::Unauthenticated)?;
    state.commerce.cart_put(&owner, product_id, thousandths, replace, Utc::now()).await.map_err(store_err(info))?;
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
    let products = state.commerce.products_by_sku(&skus).await.map_err(store_err(info))?;
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
                state.commerce.cart_put(&owner, p.id, q.thousandths(), false, now).await.map_err(store_err(info))?;
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

/// The most an uploaded order file may weigh: a thousand lines fit in a few dozen kilobytes.
pub const ORDER_FILE_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Rows of cells of an uploaded order file: the first sheet of an .xlsx workbook, or a .csv/.txt
/// (UTF-8, `;`, tab or `,` separated). Anything else is refused with a message for the `file` field.
pub fn order_file_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Reader, Xlsx};
    if bytes.is_empty() {
        return Err(AppError::field("file", "quick_order.file_empty"));
    }
    if bytes.len() > ORDER_FILE_MAX_BYTES {
        return Err(AppError::field("file", "quick_order.too_large"));
    }
    // An .xlsx is a zip archive; a CSV is text.
    if bytes.starts_with(b"PK\x03\x04") {
        let unreadable = |_| AppError::field("file", "quick_order.file_unreadable");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
        let sheet = book
            .worksheet_range_at(0)
            .ok_or_else(|| AppError::field("file", "quick_order.file_empty"))?
            .map_err(unreadable)?;
        return Ok(sheet.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect());
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| AppError::field("file", "quick_order.file_unreadable"))?;
    if text.contains('\0') {
        return Err(AppError::field("file", "quick_order.file_unreadable"));
    }
    Ok(domain::quick_order::csv_rows(text))
}

// ---------------------------------------------------------------------------------------------
// Checkout

pub struct CheckoutInput {
    pub fulfilment: String,
    pub pickup_location_id: Option<i64>,
    pub delivery_address: String,
    pub payment: String,
    pub comment: String,
    pub expected_total: i64,
    pub guest_name: String,
    pub guest_phone: String,
}

/// Places the order from the cart. Expected outcomes (changed total, blocked credit, missing
/// stock) are answers, not errors; bad input is a validation error naming the field.
pub async fn checkout(
    state: &ServerState,
    info: &RequestInfo,
    input: CheckoutInput,
) -> Result<CheckoutOutcome, AppError> {
    let mut info = info.clone();
    let mut errors = Vec::new();
    let fulfilment = match input.fulfilment.as_str() {
        "pickup" => Some(Fulfilment::Pickup),
        "delivery" => Some(Fulfilment::Delivery),
        _ => {
            errors.push(FieldError::new("fulfilment", "checkout.fulfilment"));
            None
        }
    };
    let payment = PaymentMethod::parse(&input.payment);
    if payment.is_none() {
        errors.push(FieldError::new("payment", "checkout.payment"));
    }
    let address = input.delivery_address.trim().to_string();
    if fulfilment == Some(Fulfilment::Delivery) && address.chars().count() < 10 {
        errors.push(FieldError::new("delivery_address", "checkout.address"));
    }
    if address.chars().count() > 500 || input.comment.chars().count() > 1000 {
        errors.push(FieldError::new("comment", "checkout.too_long"));
    }
    if fulfilment == Some(Fulfilment::Pickup) && input.pickup_location_id.is_none() {
        errors.push(FieldError::new("pickup_location_id", "checkout.pickup_point"));
    }
    let mut guest = None;
    if info.caller.is_none() {
        let name = PersonName::parse(&input.guest_name)
            .map_err(|e| errors.push(FieldError::from_domain("guest_name", &e)))
            .ok();
        let phone =
            Phone::parse(&input.guest_phone).map_err(|e| errors.push(FieldError::from_domain("guest_phone", &e))).ok();
        guest = name.zip(phone);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(fulfilment), Some(payment)) = (fulfilment, payment) else {
        return Err(AppError::Validation(errors));
    };

    let (owner, _) = cart_owner(state, &info, false);
    let owner = owner.ok_or_else(|| AppError::field("cart", "cart.empty"))?;
    let mut cart = cart_view(state, &info, Some(&owner)).await?;
    if cart.lines.is_empty() {
        return Err(AppError::field("cart", "cart.empty"));
    }
    let on_credit = cart.viewer.on_credit;
    let allowed = if on_credit { payment == PaymentMethod::Invoice } else { payment != PaymentMethod::Invoice };
    if !allowed || (payment == PaymentMethod::OnPickup && fulfilment != Fulfilment::Pickup) {
        return Err(AppError::field("payment", "checkout.payment"));
    }
    let pickup = match (fulfilment, input.pickup_location_id) {
        (Fulfilment::Pickup, Some(id)) => {
            let point = cart.pickup_points.iter().find(|p| p.location_id == id);
            let Some(point) = point else { return Err(AppError::field("pickup_location_id", "checkout.pickup_point")) };
            if point.quantity < cart.lines.len() as i64 {
                let ids: Vec<i64> = cart.lines.iter().map(|l| l.product_id).collect();
                let at = state.commerce.stock_at_pickup_points(&ids).await.map_err(store_err(&info))?;
                let missing = cart
                    .lines
                    .iter()
                    .filter(|l| !at.iter().any(|(loc, pid, q)| *loc == id && *pid == l.product_id && *q >= l.quantity))
                    .map(|l| l.name.clone())
                    .collect();
                return Ok(CheckoutOutcome::OutOfStock(missing));
            }
            Some(id)
        }
        _ => None,
    };

    // The server's price of this order, with the payment the buyer chose.
    let mut buyer = cart.viewer.buyer.clone();
    buyer.paid_online = payment == PaymentMethod::Online;
    let priced = price(&cart.lines, &buyer, &cart.viewer)?;
    if priced.total != input.expected_total {
        return Ok(CheckoutOutcome::TotalChanged { expected: input.expected_total, actual: priced.total });
    }
    let mut status = OrderStatus::INITIAL;
    let mut credit_guard = None;
    let mut credit_json = None;
    if let Some(check) = cart.credit.take() {
        match check.decision {
            CreditDecision::Blocked => return Ok(CheckoutOutcome::CreditBlocked(check)),
            CreditDecision::NeedsApproval => status = OrderStatus::AwaitingApproval,
            CreditDecision::Allowed => {}
        }
        credit_guard = Some(check.outstanding);
        credit_json = serde_json::to_string(&check).ok();
    }

    // A guest becomes a retail buyer: an account without a password, signed in now, with a link
    // by SMS to set a password for next time.
    let mut account_created = false;
    if let Some((name, phone)) = guest {
        let user_id = super::auth::register_guest_buyer(state, &info, name.as_str(), phone.as_str()).await?;
        // Signing the guest in moved their cart to the new account; continue as them.
        let user = state.store.find_user(user_id).await.map_err(store_err(&info))?.ok_or(AppError::NotFound)?;
        info.caller = Some(Caller { session_id: 0, token_hash: String::new(), user: user.user });
        account_created = true;
    }
    let caller = info.caller.clone().ok_or(AppError::Unauthenticated)?;
    let order_owner = CartOwner::User(caller.user.id);
    let now = Utc::now();
    let lines = cart
        .lines
        .iter()
        .zip(&priced.lines)
        .map(|(l, p)| NewOrderLine {
            product_id: l.product_id,
            sku: l.sku.clone(),
            name: l.name.clone(),
            unit: l.unit,
            quantity: l.quantity,
            unit_price: l.list_price,
            gross: p.gross,
            discount: p.discount,
            total: p.total,
            vat: p.vat,
            vat_rate: l.vat,
        })
        .collect();
    let order = NewOrder {
        organisation_id: caller.user.organisation_id,
        buyer_user_id: caller.user.id,
        status: status.code().to_string(),
        price_type: cart.viewer.price_type,
        fulfilment,
        pickup_location_id: pickup,
        delivery_address: (fulfilment == Fulfilment::Delivery).then_some(address),
        payment_method: payment,
        payment_status: PaymentStatus::Unpaid,
        gross: priced.gross,
        discount: priced.discount,
        total: priced.total,
        vat: priced.vat,
        discount_sources: serde_json::to_string(&priced.sources).unwrap_or_else(|_| "[]".into()),
        credit_check: credit_json,
        credit_guard,
        invoice: on_credit,
        comment: input.comment.trim().to_string(),
        lines,
        cart: order_owner,
        now,
    };
    let order_id = match state.commerce.place_order(&order, &info.actor()).await {
        Ok(id) => id,
        Err(PlaceError::OutOfStock(ids)) => {
            let names = cart.lines.iter().filter(|l| ids.contains(&l.product_id)).map(|l| l.name.clone()).collect();
            return Ok(CheckoutOutcome::OutOfStock(names));
        }
        Err(PlaceError::Changed) => {
            // A price or the debt changed while placing: show the buyer the new numbers.
            let fresh = cart_view(state, &info, Some(&CartOwner::User(caller.user.id))).await?;
            return Ok(CheckoutOutcome::TotalChanged { expected: input.expected_total, actual: fresh.total });
        }
        Err(PlaceError::Store(e)) => return Err(info.internal(e)),
    };
    let pay_url = if payment == PaymentMethod::Online {
        Some(super::payments::start(state, &info, order_id, priced.total).await?)
    } else {
        None
    };
    Ok(CheckoutOutcome::Placed { order_id, pay_url, account_created })
}

/// Puts an earlier order's lines back into the cart (at today's prices).
pub async fn repeat_order(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    order_id: i64,
) -> Result<Cart, AppError> {
    let lines =
        state.commerce.order_lines_for_repeat(order_id, caller.user.organisation_id).await.map_err(store_err(info))?;
    if lines.is_empty() {
        return Err(AppError::NotFound);
    }
    let owner = CartOwner::User(caller.user.id);
    let now = Utc::now();
    for (product_id, quantity) in lines {
        match state.commerce.cart_put(&owner, product_id, quantity, false, now).await {
            // A product no longer sold is skipped.
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(info.store_error(e)),
        }
    }
    cart_view(state, info, Some(&owner)).await
}

pub async fn loyalty(state: &ServerState, info: &RequestInfo, caller: &Caller) -> Result<Loyalty, AppError> {
    let policy = state.commerce.discount_policy().await.map_err(store_err(info))?;
    let terms = state.commerce.buyer_terms(caller.user.organisation_id).await.map_err(store_err(info))?;
    let tier = policy.loyalty.tier(terms.accumulated).map(|t| (t.name.clone(), percent_text(t.discount)));
    let next = policy.loyalty.next(terms.accumulated).map(|(t, more)| (t.name.clone(), percent_text(t.discount), more));
    Ok(Loyalty { accumulated: terms.accumulated, tier, next })
}

fn percent_text(p: Percent) -> String {
    format!("{} %", p.value().normalize())
}

/// Staff change a product's prices and one location's stock (the same path a 1C import will take).
pub async fn set_price_stock(
    state: &ServerState,
    info: &RequestInfo,
    product_id: i64,
    prices: [&str; 3],
    location_id: i64,
    quantity_text: &str,
) -> Result<(), AppError> {
    let p = state.commerce.product(product_id).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let mut parsed = [0_i64; 3];
    for (i, (field, text)) in ["retail", "wholesale", "dealer"].into_iter().zip(prices).enumerate() {
        match domain::Money::parse(text, domain::Currency::Rub).and_then(|m| m.to_minor()) {
            Ok(k) if k >= 0 => parsed[i] = k,
            Ok(_) => errors.push(FieldError::new(field, "money.negative")),
            Err(e) => errors.push(FieldError::from_domain(field, &e)),
        }
    }
    let quantity = if quantity_text.trim() == "0" {
        Ok(0)
    } else {
        Quantity::parse(quantity_text, p.unit).map(|q| q.thousandths())
    };
    let quantity = quantity.map_err(|e| errors.push(FieldError::from_domain("quantity", &e))).ok();
    let locations = state.commerce.product_stock(product_id).await.map_err(store_err(info))?;
    if !locations.iter().any(|l| l.location_id == location_id) {
        errors.push(FieldError::new("location_id", "stock.location"));
    }
    let (Some(quantity), true) = (quantity, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let prices = domain::pricing::ProductPrices {
        retail: parsed[0],
        wholesale: parsed[1],
        dealer: parsed[2],
        purchase: p.prices.purchase,
    };
    state
        .commerce
        .set_price_and_stock(product_id, prices, location_id, quantity, &info.actor())
        .await
        .map_err(store_err(info))
}
