//! Cart area: the cart and checkout. Totals, discounts and VAT are recomputed in the browser by the domain
//! crate as the buyer types; the server recomputes on every change and at checkout, and when its
//! numbers differ from what the buyer saw, the buyer is told and nothing is charged.

use domain::credit::{CreditCheck, CreditDecision};
use domain::pricing::{DocumentLine, PricedOrder, price_order};
use domain::{Quantity, Unit};
use leptos::prelude::*;

use super::go;

mod quick_order;
use crate::api::cart::{cart_set, get_cart};
use crate::api::ordering::checkout;
use crate::components::Storefront;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::format::{money, unit_label};
use crate::error::AppError;
use crate::i18n::{code_message, t, use_locale};
use crate::model::CurrentUser;
use crate::model::{Cart, CartLine, CheckoutForm, CheckoutOutcome};
use crate::pages::identity::{CodeSentNotice, SendCodeButton, send_code};
use domain::ordering::{self, Fulfilment, PaymentMethod};
pub use quick_order::QuickOrderPage;

#[component]
pub fn CartPage() -> impl IntoView {
    view! { <Storefront page=cart_page/> }
}

fn cart_page(user: Option<CurrentUser>) -> impl IntoView {
    let data = Resource::new(|| (), |_| get_cart());
    let guest = user.is_none();
    // A guest whose confirmed phone is a returning buyer's was signed in at checkout.
    let signed_in = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("signed_in").is_some()) && !guest;
    view! {
        <h1 class="mb-3 text-2xl font-bold">{move || crate::i18n::cart::t().cart_title}</h1>
        {signed_in.then(|| view! {
            <p role="status" class="mb-3 rounded-lg border border-green-200 bg-green-50 px-3 py-2 text-green-900" data-testid="signed-in-at-checkout">
                {move || crate::i18n::cart::t().signed_in_at_checkout}
            </p>
        })}
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(cart) => view! { <CartView initial=cart guest/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(use_locale().get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// These lines as the domain prices them for this viewer (paying online or not).
fn local_priced(cart: &Cart, online: bool) -> Option<PricedOrder> {
    let mut buyer = cart.viewer.buyer.clone();
    buyer.paid_online = online;
    price_order(&crate::model::line_inputs(&cart.lines), &buyer, &cart.viewer.policy).ok()
}

/// Totals for these lines as the domain prices them for this viewer.
fn local_total(cart: &Cart, online: bool) -> Option<(i64, i64, i64, i64)> {
    local_priced(cart, online).map(|p| (p.gross, p.discount, p.total, p.vat))
}

/// The whole cart and checkout is one island: a piece of wasm of its own, fetched on this page.
#[island(lazy)]
fn CartView(initial: Cart, guest: bool) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let cart = RwSignal::new(initial);
    // The server disagreed with what the browser showed: say so.
    let notice = RwSignal::new(None::<String>);
    let line_error = RwSignal::new(None::<(i64, String)>);
    // Each line's position (unit price after discounts × quantity = sum), as the order and the
    // invoice will print it.
    let document = Memo::new(move |_| cart.with(|c| local_priced(c, false).map(|p| p.document())));
    let position = move |product_id: i64| {
        Signal::derive(move || {
            let index = cart.with(|c| c.lines.iter().position(|l| l.product_id == product_id))?;
            document.with(|d| d.as_ref()?.positions(index).next().copied())
        })
    };

    let set_quantity = move |product_id: i64, unit: Unit, text: String| {
        let parsed = if text.trim() == "0" { Ok(0) } else { Quantity::parse(&text, unit).map(|q| q.thousandths()) };
        match parsed {
            Err(e) => line_error.set(Some((product_id, code_message(locale.get(), domain::ErrorCode::code(&e))))),
            Ok(thousandths) => {
                line_error.set(None);
                // Instant: the browser prices the new quantities with the domain crate.
                cart.update(|c| {
                    if thousandths == 0 {
                        c.lines.retain(|l| l.product_id != product_id);
                    } else if let Some(l) = c.lines.iter_mut().find(|l| l.product_id == product_id) {
                        l.quantity = thousandths;
                    }
                    if let Some((g, d, total, v)) = local_total(c, false) {
                        (c.gross, c.discount, c.total, c.vat) = (g, d, total, v);
                    }
                });
                let shown = cart.with_untracked(|c| c.total);
                leptos::task::spawn_local(async move {
                    match cart_set(product_id, text).await {
                        Ok(server) => {
                            if server.total != shown {
                                notice.set(Some(crate::i18n::cart::t().prices_updated.to_string()));
                            }
                            cart.set(server);
                        }
                        Err(e) => line_error.set(Some((product_id, e.message(locale.get())))),
                    }
                });
            }
        }
    };

    view! {
        <Show
            when=move || cart.with(|c| !c.lines.is_empty())
            fallback=move || view! {
                <div class="rounded-xl border border-slate-200 bg-white p-6" data-testid="cart-empty">
                    <p class="mb-3 text-slate-600">{move || crate::i18n::cart::t().cart_empty}</p>
                    <a href="/catalog" class=BUTTON_CLASS>{move || t().to_catalog}</a>
                </div>
            }
        >
            <div class="grid gap-6 lg:grid-cols-[1fr_22rem]">
                <ul class="space-y-3" data-testid="cart-lines">
                    <For each=move || cart.with(|c| c.lines.clone()) key=|l| (l.product_id, l.quantity) let:line>
                        <CartRow position=position(line.product_id) line set_quantity line_error/>
                    </For>
                </ul>
                <div class="space-y-4">
                    <Totals cart/>
                    <ErrorNotice notice/>
                    <Checkout cart guest notice/>
                </div>
            </div>
        </Show>
    }
}

#[component]
fn CartRow(
    line: CartLine,
    position: Signal<Option<DocumentLine>>,
    set_quantity: impl Fn(i64, Unit, String) + Copy + Send + Sync + 'static,
    line_error: RwSignal<Option<(i64, String)>>,
) -> impl IntoView {
    let locale = use_locale();
    let (id, unit, list) = (line.product_id, line.unit, line.list_price);
    let value = crate::model::quantity_input(line.quantity);
    let short = line.stock < line.quantity;
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-3" data-testid="cart-line">
            <a href=format!("/catalog/{id}") class="font-medium hover:text-sky-800">{line.name.clone()}</a>
            <p class="text-xs text-slate-500">{line.sku.clone()}</p>
            <div class="mt-2 flex flex-wrap items-center gap-2">
                <label class="sr-only" for=format!("cart-qty-{id}")>{move || t().quantity_label}</label>
                <input id=format!("cart-qty-{id}") value=value inputmode="decimal" data-testid="cart-quantity"
                    class=format!("{INPUT_CLASS} w-24")
                    on:change=move |ev| set_quantity(id, unit, event_target_value(&ev))/>
                <span class="text-sm text-slate-600">{move || unit_label(locale.get(), unit)} " × "
                    <span data-testid="cart-line-price">{move || money(locale.get(), position.get().map_or(list, |p| p.price))}</span>
                    {move || position.get().filter(|p| p.price < list).map(|_| view! { " " <s class="text-slate-600">{money(locale.get(), list)}</s> })}
                </span>
                <button type="button" class=SECONDARY_BUTTON_CLASS data-testid="remove-line"
                    on:click=move |_| set_quantity(id, unit, "0".into())>{move || crate::i18n::cart::t().remove}</button>
                <span class="ml-auto font-semibold" data-testid="cart-line-sum">{move || position.get().map(|p| money(locale.get(), p.sum))}</span>
            </div>
            {short.then(|| view! { <p class="mt-1 text-sm text-amber-700">{move || crate::i18n::cart::t().not_enough_stock}</p> })}
            <p class="text-sm text-red-700" role="alert">{move || line_error.with(|e| e.as_ref().filter(|(p, _)| *p == id).map(|(_, m)| m.clone()))}</p>
        </li>
    }
}

#[component]
fn Totals(cart: RwSignal<Cart>) -> impl IntoView {
    let locale = use_locale();
    let row = move |label: fn() -> &'static str, value: Signal<i64>, testid: &'static str| {
        view! {
            <div class="flex justify-between py-1"><dt class="text-slate-600">{label}</dt>
                <dd data-testid=testid>{move || money(locale.get(), value.get())}</dd></div>
        }
    };
    view! {
        <dl class="rounded-xl border border-slate-200 bg-white p-4" data-testid="totals">
            {row(|| t().subtotal, Signal::derive(move || cart.with(|c| c.gross)), "cart-gross")}
            {row(|| t().discount, Signal::derive(move || cart.with(|c| c.discount)), "cart-discount")}
            <div class="flex justify-between border-t border-slate-100 pt-2 text-lg font-bold">
                <dt>{move || t().total}</dt><dd data-testid="cart-total">{move || money(locale.get(), cart.with(|c| c.total))}</dd></div>
            <div class="flex justify-between text-sm text-slate-500"><dt>{move || t().vat_included}</dt>
                <dd data-testid="cart-vat">{move || money(locale.get(), cart.with(|c| c.vat))}</dd></div>
        </dl>
        {move || cart.with(|c| c.credit).map(|check| view! { <CreditPanel check/> })}
    }
}

/// The credit standing of a buyer on credit, with the numbers.
#[component]
pub fn CreditPanel(check: CreditCheck) -> impl IntoView {
    let locale = use_locale();
    let (class, text) = match check.decision {
        CreditDecision::Allowed => {
            ("border-green-200 bg-green-50 text-green-900", crate::i18n::cart::t().credit_allowed)
        }
        CreditDecision::NeedsApproval => {
            ("border-amber-200 bg-amber-50 text-amber-900", crate::i18n::cart::t().credit_needs_approval)
        }
        CreditDecision::Blocked => ("border-red-200 bg-red-50 text-red-900", crate::i18n::cart::t().credit_blocked),
    };
    let row = move |label: &'static str, value: i64, testid: &'static str| {
        view! {
            <div class="flex justify-between"><dt>{label}</dt><dd data-testid=testid>{move || money(locale.get(), value)}</dd></div>
        }
    };
    let tc = crate::i18n::cart::t();
    view! {
        <section class=format!("rounded-xl border p-4 text-sm {class}") data-testid="credit" data-decision=format!("{:?}", check.decision)>
            <p class="mb-2 font-semibold" data-testid="credit-message">{text}</p>
            <dl class="space-y-0.5">
                {row(tc.credit_limit, check.limit, "credit-limit")}
                {row(tc.credit_outstanding, check.outstanding, "credit-outstanding")}
                {row(tc.credit_available, check.available, "credit-available")}
                {(check.shortfall > 0).then(|| row(tc.credit_shortfall, check.shortfall, "credit-shortfall"))}
                {(check.overdue > 0).then(|| row(tc.credit_overdue, check.overdue, "credit-overdue"))}
                {(check.max_days_overdue > 0).then(|| view! {
                    <div class="flex justify-between"><dt>{tc.credit_days_overdue}</dt><dd data-testid="credit-days">{check.max_days_overdue}</dd></div>
                })}
            </dl>
        </section>
    }
}

#[component]
fn ErrorNotice(notice: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || notice.with(|n| n.is_some())>
            <p role="alert" data-testid="cart-notice" class="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {move || notice.get()}
            </p>
        </Show>
    }
}

/// One radio button of a choice between domain values; its test id is `<name>-<code>`.
fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    signal: RwSignal<T>,
    name: &'static str,
    value: T,
    code: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="flex min-h-11 items-center gap-2">
            <input type="radio" name=name value=code class="h-5 w-5" data-testid=format!("{name}-{code}")
                checked=move || signal.get() == value on:change=move |_| signal.set(value)/>
            <span>{label}</span>
        </label>
    }
}

fn fulfilment_label(f: Fulfilment) -> &'static str {
    match f {
        Fulfilment::Pickup => t().pickup,
        Fulfilment::Delivery => t().delivery,
    }
}

fn payment_label(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Online => crate::i18n::cart::t().pay_online,
        PaymentMethod::OnPickup => crate::i18n::cart::t().pay_on_pickup,
        PaymentMethod::Invoice => crate::i18n::cart::t().pay_by_invoice,
    }
}

#[component]
fn Checkout(cart: RwSignal<Cart>, guest: bool, notice: RwSignal<Option<String>>) -> impl IntoView {
    let locale = use_locale();
    let (on_credit, online) = cart.with_untracked(|c| (c.viewer.on_credit, c.online_payment));
    // What may be chosen is the domain's rule, the same one the server checks.
    let fulfilment = RwSignal::new(ordering::fulfilments(on_credit, online)[0]);
    let payment = RwSignal::new(ordering::payment_methods(on_credit, fulfilment.get_untracked(), online)[0]);
    Effect::new(move |_| {
        let allowed = ordering::payment_methods(on_credit, fulfilment.get(), online);
        if !allowed.contains(&payment.get_untracked()) {
            payment.set(allowed[0]);
        }
    });
    let pickup = RwSignal::new(cart.with_untracked(|c| {
        let n = c.lines.len() as i64;
        c.pickup_points.iter().find(|p| p.quantity == n).or(c.pickup_points.first()).map(|p| p.location_id)
    }));
    let address = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let guest_name = RwSignal::new(String::new());
    let guest_phone = RwSignal::new(String::new());
    let guest_code = RwSignal::new(String::new());
    let code_sent = RwSignal::new(None::<crate::model::CodeSent>);
    let sending_code = RwSignal::new(false);
    // Why the code could not be sent (on the phone field).
    let code_error = RwSignal::new(None::<AppError>);
    let error = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(false);
    let outcome = RwSignal::new(None::<CheckoutOutcome>);
    // What the buyer is about to pay, with the payment they chose (the browser's domain pricing).
    let to_pay = Memo::new(move |_| {
        let online = payment.get() == PaymentMethod::Online;
        cart.with(|c| local_total(c, online).map(|t| t.2).unwrap_or(c.total))
    });
    let field = move |name: &'static str| {
        move || error.with(|e| e.as_ref().and_then(|e| e.field_code(name)).map(|c| code_message(locale.get(), c)))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        outcome.set(None);
        let form = CheckoutForm {
            fulfilment: fulfilment.get_untracked(),
            pickup_location_id: (fulfilment.get_untracked() == Fulfilment::Pickup)
                .then(|| pickup.get_untracked())
                .flatten(),
            delivery_address: address.get_untracked(),
            payment: payment.get_untracked(),
            comment: comment.get_untracked(),
            expected_total: to_pay.get_untracked(),
            guest_name: guest_name.get_untracked(),
            guest_phone: guest_phone.get_untracked(),
            guest_code: guest_code.get_untracked(),
        };
        let call = checkout(form);
        leptos::task::spawn_local(async move {
            match call.await {
                Ok(CheckoutOutcome::Placed { order_id, pay_url, account_created }) => {
                    let target = pay_url.unwrap_or_else(|| {
                        format!("/orders/{order_id}{}", if account_created { "?welcome=1" } else { "" })
                    });
                    go(&target);
                }
                Ok(CheckoutOutcome::SignedIn) => go("/cart?signed_in=1"),
                Ok(CheckoutOutcome::TotalChanged { actual, .. }) => {
                    notice.set(Some(format!(
                        "{} {}",
                        crate::i18n::cart::t().total_changed,
                        money(locale.get_untracked(), actual)
                    )));
                    if let Ok(fresh) = get_cart().await {
                        cart.set(fresh);
                    }
                    pending.set(false);
                }
                Ok(other) => {
                    outcome.set(Some(other));
                    pending.set(false);
                }
                Err(e) => {
                    error.set(Some(e));
                    pending.set(false);
                }
            }
        });
    };

    let points = move || {
        cart.with(|c| {
            let n = c.lines.len() as i64;
            c.pickup_points
                .iter()
                .map(|p| {
                    let id = p.location_id;
                    let all = p.quantity == n;
                    let availability = if all { crate::i18n::cart::t().all_available.to_string() } else { format!("{} {} / {}", crate::i18n::cart::t().available_lines, p.quantity, n) };
                    view! {
                        <label class="flex min-h-11 items-start gap-2 py-1">
                            <input type="radio" name="pickup" class="mt-1 h-5 w-5" data-testid="pickup-point"
                                checked=move || pickup.get() == Some(id) on:change=move |_| pickup.set(Some(id))/>
                            <span>
                                <span class="block">{p.name.clone()}</span>
                                <span class="block text-xs text-slate-500">{p.address.clone()}</span>
                                <span class=if all { "block text-xs text-green-700" } else { "block text-xs text-amber-700" }>{availability}</span>
                            </span>
                        </label>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <form class="space-y-3 rounded-xl border border-slate-200 bg-white p-4" on:submit=submit novalidate data-testid="checkout">
            <h2 class="text-lg font-semibold">{move || crate::i18n::cart::t().checkout_title}</h2>
            {guest.then(|| view! {
                <p class="text-sm text-slate-600">{move || crate::i18n::cart::t().guest_checkout_hint}</p>
                <GuestInput label=|| t().name_label name="guest_name" value=guest_name error=Signal::derive(field("guest_name")) autocomplete="name"/>
                <GuestInput label=|| t().phone_label name="guest_phone" value=guest_phone autocomplete="tel" error=Signal::derive(move || {
                    field("guest_phone")().or_else(|| code_error.with(|e| e.as_ref().map(|e| match e.field_code("phone") {
                        Some(code) => code_message(locale.get(), code),
                        None => e.message(locale.get()),
                    })))
                })/>
                <SendCodeButton sent=code_sent sending=sending_code testid="guest-send-code" on_click=move |ev: leptos::ev::MouseEvent| {
                    ev.prevent_default();
                    send_code(guest_phone.get_untracked(), code_sent, code_error, sending_code);
                }/>
                <CodeSentNotice sent=code_sent/>
                <GuestInput label=|| crate::i18n::identity::t().code_label name="guest_code" value=guest_code error=Signal::derive(field("guest_code")) autocomplete="one-time-code"/>
            })}
            <fieldset>
                <legend class="text-sm font-semibold">{move || crate::i18n::cart::t().fulfilment_label}</legend>
                {ordering::fulfilments(on_credit, online)
                    .iter()
                    .map(|&f| choice(fulfilment, "fulfilment", f, f.code(), move || fulfilment_label(f)))
                    .collect_view()}
            </fieldset>
            <Show when=move || fulfilment.get() == Fulfilment::Pickup>
                <fieldset data-testid="pickup-points">
                    <legend class="text-sm font-semibold">{move || crate::i18n::cart::t().pickup_point}</legend>
                    {points}
                    <p class="text-sm text-red-700">{field("pickup_location_id")}</p>
                </fieldset>
            </Show>
            <Show when=move || fulfilment.get() == Fulfilment::Delivery>
                <label class="block text-sm font-medium" for="delivery-address">{move || crate::i18n::cart::t().delivery_address}</label>
                <textarea id="delivery-address" class=INPUT_CLASS rows="2" data-testid="delivery-address"
                    aria-invalid=move || field("delivery_address")().is_some().to_string()
                    on:input=move |ev| address.set(event_target_value(&ev))>{move || address.get_untracked()}</textarea>
                <p class="text-sm text-red-700">{field("delivery_address")}</p>
            </Show>
            <fieldset>
                <legend class="text-sm font-semibold">{move || t().payment_label}</legend>
                {move || ordering::payment_methods(on_credit, fulfilment.get(), online)
                    .iter()
                    .map(|&m| choice(payment, "payment", m, m.code(), move || payment_label(m)))
                    .collect_view()}
                <p class="text-sm text-red-700">{field("payment")}</p>
            </fieldset>
            <label class="block text-sm font-medium" for="comment">{move || crate::i18n::cart::t().comment_label}</label>
            <textarea id="comment" class=INPUT_CLASS rows="2" on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            <p class="flex justify-between text-lg font-bold"><span>{move || crate::i18n::cart::t().to_pay}</span>
                <span data-testid="to-pay">{move || money(locale.get(), to_pay.get())}</span></p>
            <p role="alert" class="text-sm text-red-700" data-testid="checkout-error">
                {move || error.with(|e| e.as_ref().and_then(|e| match e {
                    AppError::Validation(_) => e.field_code("cart").map(|c| code_message(locale.get(), c)),
                    AppError::Conflict(_) => None,
                    other => Some(other.message(locale.get())),
                }))}
            </p>
            {move || outcome.get().map(|o| match o {
                CheckoutOutcome::CreditBlocked(check) => view! { <CreditPanel check/> }.into_any(),
                CheckoutOutcome::OutOfStock(names) => view! {
                    <div role="alert" class="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="out-of-stock-list">
                        <p class="font-semibold">{move || crate::i18n::cart::t().out_of_stock_at_point}</p>
                        <ul class="list-disc pl-5">{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            })}
            <button type="submit" class=format!("{BUTTON_CLASS} w-full") data-testid="place-order" disabled=move || pending.get()>
                {move || if pending.get() { crate::i18n::cart::t().placing_order } else { crate::i18n::cart::t().place_order }}
            </button>
        </form>
    }
}

#[component]
fn GuestInput(
    label: fn() -> &'static str,
    name: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <div class="space-y-1">
            <label class="block text-sm font-medium" for=name>{label}</label>
            <input id=name name=name class=INPUT_CLASS autocomplete=autocomplete data-testid=name
                inputmode=(autocomplete == "one-time-code").then_some("numeric")
                aria-invalid=move || error.get().is_some().to_string()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            <p class="text-sm text-red-700" data-testid=format!("{name}-error")>{move || error.get()}</p>
        </div>
    }
}
