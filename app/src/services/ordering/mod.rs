//! Ordering area, use cases: checkout (the server's price is the truth), moving an order along its
//! workflow, the staff queue, repeating an order, the retail buyer's loyalty standing; the
//! warehouse's assembly and shipments in `assembly`.

pub mod assembly;
pub mod channels;

use chrono::Utc;
use domain::credit::CreditDecision;
use domain::ordering::assembly::{MoveFill, move_fill};
use domain::ordering::workflow::{MoveError, SalesChannel, unpaid_hold_until};
use domain::ordering::{self, Fulfilment, PaymentMethod, PaymentStatus};
use domain::{ErrorCode, Percent, PersonName, Phone, StatusMachine, status::OrderStatus};

use super::cart::{cart_owner, cart_view, price};
use super::context::{Acting, Caller, RequestInfo, ServerState, store_err};
use crate::error::{AppError, FieldError};
use crate::model::*;
use crate::ports::{Actor, CartOwner, NewOrder, NewOrderLine, PlaceError, StatusChange, StoreError};

/// What checkout answers: the outcome for the buyer, and for a guest who became a buyer, the
/// session token of the account just created (the server function sets its cookie).
pub struct Checkout {
    pub outcome: CheckoutOutcome,
    pub new_session: Option<String>,
}

impl From<CheckoutOutcome> for Checkout {
    fn from(outcome: CheckoutOutcome) -> Self {
        Self { outcome, new_session: None }
    }
}

/// Places the order from the cart. Expected outcomes (changed total, blocked credit, missing
/// stock) are answers, not errors; bad input is a validation error naming the field.
pub async fn checkout(state: &ServerState, info: &RequestInfo, form: CheckoutForm) -> Result<Checkout, AppError> {
    let mut errors = Vec::new();
    let fulfilment = form.fulfilment;
    let address = form.delivery_address.trim().to_string();
    if fulfilment == Fulfilment::Delivery && address.chars().count() < 10 {
        errors.push(FieldError::new("delivery_address", "checkout.address"));
    }
    if address.chars().count() > 500 || form.comment.chars().count() > 1000 {
        errors.push(FieldError::new("comment", "checkout.too_long"));
    }
    if fulfilment == Fulfilment::Pickup && form.pickup_location_id.is_none() {
        errors.push(FieldError::new("pickup_location_id", "checkout.pickup_point"));
    }
    let mut guest = None;
    if info.caller.is_none() {
        let name = PersonName::parse(&form.guest_name)
            .map_err(|e| errors.push(FieldError::from_domain("guest_name", &e)))
            .ok();
        let phone =
            Phone::parse(&form.guest_phone).map_err(|e| errors.push(FieldError::from_domain("guest_phone", &e))).ok();
        guest = name.zip(phone);
        if form.guest_code.trim().is_empty() {
            errors.push(FieldError::new("guest_code", "code.missing"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let payment = form.payment;

    let (owner, _) = cart_owner(state, info, false);
    let owner = owner.ok_or_else(|| AppError::field("cart", "cart.empty"))?;
    let mut cart = cart_view(state, info, Some(&owner)).await?;
    if cart.lines.is_empty() {
        return Err(AppError::field("cart", "cart.empty"));
    }
    let on_credit = cart.viewer.on_credit;
    let online = super::payments::online(state);
    if !ordering::fulfilments(on_credit, online).contains(&fulfilment) {
        return Err(AppError::field("fulfilment", "checkout.fulfilment"));
    }
    if !ordering::payment_methods(on_credit, fulfilment, online).contains(&payment) {
        return Err(AppError::field("payment", "checkout.payment"));
    }
    let pickup = match (fulfilment, form.pickup_location_id) {
        (Fulfilment::Pickup, Some(id)) => {
            let point = cart.pickup_points.iter().find(|p| p.location_id == id);
            let Some(point) = point else { return Err(AppError::field("pickup_location_id", "checkout.pickup_point")) };
            if point.quantity < cart.lines.len() as i64 {
                let ids: Vec<i64> = cart.lines.iter().map(|l| l.product_id).collect();
                let at = state.store.stock_at_pickup_points(&ids).await.map_err(store_err(info))?;
                let here: Vec<(i64, i64)> = at.iter().filter(|(loc, ..)| *loc == id).map(|&(_, p, q)| (p, q)).collect();
                let wanted: Vec<(i64, i64)> = cart.lines.iter().map(|l| (l.product_id, l.quantity)).collect();
                let missing =
                    ordering::lines_short(&wanted, &here).into_iter().map(|i| cart.lines[i].name.clone()).collect();
                return Ok(CheckoutOutcome::OutOfStock(missing).into());
            }
            Some(id)
        }
        _ => None,
    };

    // The server's price of this order, with the payment the buyer chose.
    let mut buyer = cart.viewer.buyer.clone();
    buyer.paid_online = payment == PaymentMethod::Online;
    let priced = price(&cart.lines, &buyer, &cart.viewer)?;
    if priced.total != form.expected_total {
        return Ok(CheckoutOutcome::TotalChanged { expected: form.expected_total, actual: priced.total }.into());
    }
    let mut status = OrderStatus::INITIAL;
    let mut credit_guard = None;
    let mut credit_json = None;
    if let Some(check) = cart.credit.take() {
        match check.decision {
            CreditDecision::Blocked => return Ok(CheckoutOutcome::CreditBlocked(check).into()),
            CreditDecision::NeedsApproval => status = OrderStatus::AwaitingApproval,
            CreditDecision::Allowed => {}
        }
        credit_guard = Some(check.outstanding);
        credit_json = serde_json::to_string(&check).ok();
    }

    // A guest proves the phone by its SMS code (only now, so a code survives a changed total or
    // missing stock). A new number becomes a retail buyer: an account without a password, signed
    // in now, with a link by SMS to set a password for next time; a returning buyer is signed in
    // and sees their own cart and prices first. Signing in moved the guest's cart to the account.
    let mut new_session = None;
    let buyer = match guest {
        Some((name, phone)) => {
            match super::identity::guest_buyer(state, info, &name, &phone, &form.guest_code).await? {
                super::identity::Guest::Created(signed_in) => {
                    new_session = Some(signed_in.token);
                    signed_in.user
                }
                super::identity::Guest::Returning(signed_in) => {
                    return Ok(Checkout { outcome: CheckoutOutcome::SignedIn, new_session: Some(signed_in.token) });
                }
            }
        }
        None => info.caller.as_ref().ok_or(AppError::Unauthenticated)?.user.clone(),
    };
    let account_created = new_session.is_some();
    let actor = Actor { user_id: Some(buyer.id), role: Some(buyer.role), request_id: Some(info.request_id.clone()) };
    let order_owner = CartOwner::User(buyer.id);
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
        organisation_id: buyer.organisation_id,
        buyer_user_id: buyer.id,
        channel: SalesChannel::of_buyer(buyer.role),
        status,
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
        comment: form.comment.trim().to_string(),
        lines,
        cart: order_owner.clone(),
        check_due: domain::invoicing::banking_days_after(
            now.with_timezone(&domain::locale::moscow()).date_naive(),
            domain::invoicing::PAYMENT_CHECK_DAYS,
        ),
        now,
    };
    let order_id = match state.store.place_order(&order, &actor).await {
        Ok(id) => id,
        Err(PlaceError::OutOfStock(ids)) => {
            let names = cart.lines.iter().filter(|l| ids.contains(&l.product_id)).map(|l| l.name.clone()).collect();
            return Ok(Checkout { outcome: CheckoutOutcome::OutOfStock(names), new_session });
        }
        Err(PlaceError::Changed) => {
            // A price or the debt changed while placing: show the buyer the new numbers (a guest who
            // just became a buyer is priced as a guest was: a new retail account has no discounts).
            let fresh = cart_view(state, info, Some(&order_owner)).await?;
            let outcome = CheckoutOutcome::TotalChanged { expected: form.expected_total, actual: fresh.total };
            return Ok(Checkout { outcome, new_session });
        }
        Err(PlaceError::Store(e)) => return Err(info.store_error(e)),
    };
    let pay_url = if payment == PaymentMethod::Online {
        Some(super::payments::start(state, info, order_id, priced.total).await?)
    } else {
        None
    };
    Ok(Checkout { outcome: CheckoutOutcome::Placed { order_id, pay_url, account_created }, new_session })
}

/// The order as `acting` may see it, with the moves they may make now.
pub async fn order_for(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
) -> Result<OrderDetail, AppError> {
    let role = acting.caller()?.user.role;
    let mut order =
        state.store.order(id, &acting.reach()?).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    order.moves = order.channel.moves(order.status, role, &order.facts());
    order.hold_until = unpaid_hold_until(order.status, &order.facts(), order.created_at, state.unpaid_hold);
    let payable = domain::ordering::payable_online(order.payment_method, order.payment_status, order.status);
    order.payable_online = payable && super::payments::online(state);
    order.may_record_payment =
        crate::policy::ACCOUNTING.contains(&role) && order.invoices.iter().any(|i| i.outstanding() > 0);
    order.may_schedule = super::invoicing::may_schedule(&order, role);
    order.client_manager = super::crm::for_order(state, info, acting, order.organisation_id).await?;
    if !role.is_staff() {
        // Staff's internal notes stay with staff.
        order.comments.retain(|c| c.for_buyer);
    }
    Ok(order)
}

/// Moves an order along its channel's workflow: the role and the order's facts are checked by the
/// domain, a staff cancellation needs a reason, and a cancellation gives the reserved stock back in
/// the same transaction. A move someone else made first is answered as a conflict.
pub async fn move_order(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    to: OrderStatus,
    note: &str,
) -> Result<OrderDetail, AppError> {
    let caller = acting.caller()?;
    let role = caller.user.role;
    let order =
        state.store.order_state(id, &acting.reach()?).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    order.channel.check(order.status, to, role, &order.facts).map_err(|e| move_error(&e))?;
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::field("note", "checkout.too_long"));
    }
    if to == OrderStatus::Cancelled && role.is_staff() && note.is_empty() {
        return Err(AppError::field("note", "status.reason_required"));
    }
    let fill = move_fill(to);
    let change = StatusChange { order_id: id, from: order.status, to, note: note.to_string(), fill, now: Utc::now() };
    let mut actor = info.actor();
    actor.user_id = Some(caller.user.id);
    match state.store.move_order(&change, &actor).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(AppError::Conflict(FieldError::new("status", "status.changed"))),
        Err(e) => return Err(info.store_error(e)),
    }
    if to == OrderStatus::Cancelled {
        // A paid order's money goes back: the provider is asked now (and by the housekeeping, if not).
        if let Err(e) = super::payments::request_refunds(state).await {
            tracing::error!(error = %e, "asking for refunds failed; the housekeeping asks again");
        }
    }
    order_for(state, info, acting, id).await
}

/// Adds a comment to an order within reach: a buyer's is seen by both sides; staff choose whether
/// the buyer sees theirs (otherwise it is an internal note). Answers the order as the caller sees it.
pub async fn comment_order(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    body: &str,
    for_buyer: bool,
) -> Result<OrderDetail, AppError> {
    let caller = acting.caller()?;
    let body = domain::ordering::comment(body).map_err(|code| AppError::field("body", code))?;
    state.store.order_state(id, &acting.reach()?).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let by_staff = caller.user.role.is_staff();
    let comment = crate::ports::NewComment {
        order_id: id,
        author: caller.user.id,
        author_name: caller.user.name.clone(),
        body: body.to_string(),
        for_buyer: for_buyer || !by_staff,
        by_staff,
    };
    state.store.add_order_comment(&comment, Utc::now()).await.map_err(store_err(info))?;
    order_for(state, info, acting, id).await
}

/// The staff queue: the orders within the caller's reach that match the filter.
pub async fn order_queue(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    mut filter: OrderFilter,
) -> Result<OrderQueue, AppError> {
    check_filter(&filter)?;
    filter.page = filter.page.clamp(1, 100_000);
    state.store.order_queue(&acting.reach()?, &filter, QUEUE_PAGE).await.map_err(store_err(info))
}

/// Most rows a queue export holds.
pub const EXPORT_ROWS: i64 = 10_000;

/// Every order of the queue the filter matches (at most [`EXPORT_ROWS`], in the queue's order), for
/// the Excel export.
pub async fn queue_export(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    mut filter: OrderFilter,
) -> Result<OrderQueue, AppError> {
    check_filter(&filter)?;
    filter.page = 1;
    state.store.order_queue(&acting.reach()?, &filter, EXPORT_ROWS).await.map_err(store_err(info))
}

fn check_filter(filter: &OrderFilter) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if filter.who.chars().count() > 100 {
        errors.push(FieldError::new("who", "checkout.too_long"));
    }
    if let (Some(min), Some(max)) = (filter.min_total, filter.max_total)
        && min > max
    {
        errors.push(FieldError::new("max_total", "queue.range"));
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        errors.push(FieldError::new("to", "queue.range"));
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// Cancels the orders paid online that stayed unpaid past their hold (`unpaid_hold`), giving
/// their stock back; answers how many. Run by the server's housekeeping, as nobody in particular.
pub async fn release_unpaid(state: &ServerState, now: chrono::DateTime<Utc>) -> Result<usize, StoreError> {
    let ids = state.store.unpaid_since(now - state.unpaid_hold, 100).await?;
    let system = Actor { user_id: None, role: None, request_id: None };
    let mut released = 0;
    for order_id in ids {
        let change = StatusChange {
            order_id,
            from: OrderStatus::New,
            to: OrderStatus::Cancelled,
            note: "order.unpaid_expired".into(),
            fill: MoveFill::Nothing,
            now,
        };
        match state.store.move_order(&change, &system).await {
            Ok(()) => released += 1,
            // Paid or moved meanwhile: nothing to release.
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(released)
}

fn move_error(e: &MoveError) -> AppError {
    AppError::field("status", e.code())
}

/// Puts an earlier order's lines back into the cart (at today's prices).
pub async fn repeat_order(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    order_id: i64,
) -> Result<Cart, AppError> {
    let caller = acting.caller()?;
    let lines = state.store.order_lines_for_repeat(order_id, &acting.reach()?).await.map_err(store_err(info))?;
    if lines.is_empty() {
        return Err(AppError::NotFound);
    }
    let owner = CartOwner::User(caller.user.id);
    let now = Utc::now();
    for (product_id, quantity) in lines {
        match state.store.cart_put(&owner, product_id, quantity, false, now).await {
            // A product no longer sold is skipped.
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(info.store_error(e)),
        }
    }
    cart_view(state, info, Some(&owner)).await
}

pub async fn loyalty(state: &ServerState, info: &RequestInfo, caller: &Caller) -> Result<Loyalty, AppError> {
    let policy = state.store.discount_policy().await.map_err(store_err(info))?;
    let terms = state.store.buyer_terms(caller.user.organisation_id).await.map_err(store_err(info))?;
    let tier = policy.loyalty.tier(terms.accumulated).map(|t| (t.name.clone(), percent_text(t.discount)));
    let next = policy.loyalty.next(terms.accumulated).map(|(t, more)| (t.name.clone(), percent_text(t.discount), more));
    Ok(Loyalty { accumulated: terms.accumulated, tier, next })
}

fn percent_text(p: Percent) -> String {
    format!("{} %", p.value().normalize())
}
