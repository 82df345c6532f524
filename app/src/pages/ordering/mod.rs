//! Ordering area: the buyer's orders — the list with loyalty standing, the order page with its
//! timeline, payments, invoice, the buyer's moves and "repeat order"; the staff queue in `staff`.

mod assembly;
mod channels;
mod comments;
mod staff;
mod timeline;
pub use channels::AdminChannelsPage;
pub use staff::{StaffOrderPage, StaffOrdersPage};

use assembly::{AssemblyForm, AssemblyLine, OrderHead, Shipments};
use comments::Comments;
use domain::ordering::assembly as assembly_rules;
use timeline::Timeline;

use domain::{Role, StatusMachine, status::OrderStatus};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::cart::CreditPanel;
use super::go;
use super::invoicing::{InvoicePanel, ScheduleForm};
use crate::api::ordering::{get_loyalty, get_order, list_orders, repeat_order};
use crate::components::Cabinet;
use crate::components::form::{BUTTON_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::format::{money, quantity};
use crate::i18n::{code_message, order_status_name, payment_status_name, t, use_locale};
use crate::model::CurrentUser;
use crate::model::{Fulfilment, Loyalty, OrderDetail, PaymentStatus};

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! { <Cabinet page=orders/> }
}

/// The badge colours of a status (the colour itself is the domain's, the same for buyer and staff).
pub(crate) fn status_class(status: OrderStatus) -> &'static str {
    match status.colour() {
        domain::Colour::Green => "bg-green-100 text-green-800",
        domain::Colour::Red => "bg-red-100 text-red-800",
        domain::Colour::Amber => "bg-amber-100 text-amber-900",
        domain::Colour::Violet => "bg-violet-100 text-violet-800",
        domain::Colour::Blue => "bg-sky-100 text-sky-800",
        _ => "bg-slate-100 text-slate-700",
    }
}

fn orders(user: CurrentUser) -> impl IntoView {
    let locale = use_locale();
    let list = Resource::new(|| (), |_| list_orders());
    let retail = user.role == Role::RetailBuyer;
    view! {
        <h1 class="mb-3 text-2xl font-bold">{move || crate::i18n::ordering::t().orders_title}</h1>
        {retail.then(|| view! { <LoyaltyCard/> })}
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(orders) if orders.is_empty() => view! {
                        <div class="rounded-xl border border-slate-200 bg-white p-6" data-testid="no-orders">
                            <p class="mb-3 text-slate-600">{move || crate::i18n::ordering::t().no_orders}</p>
                            <a href="/catalog" class=BUTTON_CLASS>{move || t().to_catalog}</a>
                        </div>
                    }.into_any(),
                    Ok(orders) => view! {
                        <ul class="space-y-2" data-testid="orders">
                            {orders.into_iter().map(|o| {
                                let status = o.status;
                                let payment = o.payment_status;
                                view! {
                                    <li><a href=format!("/orders/{}", o.id) data-testid="order-row"
                                        class="flex flex-wrap items-center justify-between gap-2 rounded-xl border border-slate-200 bg-white p-3 hover:border-sky-400">
                                        <span>
                                            <span class="block font-semibold">{move || crate::i18n::ordering::t().order_number} {o.id}</span>
                                            <span class="block text-xs text-slate-500">
                                                {move || locale.get().format_datetime(o.created_at, domain::locale::moscow())}
                                            </span>
                                        </span>
                                        <span class=format!("rounded-full px-2 py-0.5 text-xs font-semibold {}", status_class(status))>
                                            {move || order_status_name(locale.get(), status)}
                                        </span>
                                        <span class="text-right">
                                            <span class="block font-semibold">{move || money(locale.get(), o.total)}</span>
                                            <span class="block text-xs text-slate-500">{move || payment_status_name(locale.get(), payment)}</span>
                                        </span>
                                    </a></li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LoyaltyCard() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| get_loyalty());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().map(|l: Loyalty| {
                    let progress = l.next.as_ref().map(|(_, _, more)| {
                        let target = l.accumulated + more;
                        if target > 0 { (l.accumulated * 100 / target).clamp(0, 100) } else { 100 }
                    }).unwrap_or(100);
                    view! {
                        <section class="mb-4 rounded-xl border border-sky-200 bg-sky-50 p-4" data-testid="loyalty">
                            <p class="font-semibold">{move || crate::i18n::ordering::t().loyalty_title}</p>
                            <p class="text-sm" data-testid="loyalty-tier">
                                {let tier = l.tier.clone(); move || match &tier {
                                    Some((name, discount)) => format!("{}: {name}, {discount}", crate::i18n::ordering::t().loyalty_tier),
                                    None => crate::i18n::ordering::t().loyalty_no_tier.to_string(),
                                }}
                            </p>
                            <p class="text-sm">{move || crate::i18n::ordering::t().loyalty_accumulated} ": " <span data-testid="loyalty-accumulated">{move || money(locale.get(), l.accumulated)}</span></p>
                            {l.next.clone().map(|(name, discount, more)| view! {
                                <div class="mt-2 h-2 rounded-full bg-white"><div class="h-2 rounded-full bg-sky-600" style=format!("width: {progress}%")></div></div>
                                <p class="mt-1 text-sm" data-testid="loyalty-next">
                                    {move || format!("{} {} — {name} ({discount})", crate::i18n::ordering::t().loyalty_more, money(locale.get(), more))}
                                </p>
                            })}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    view! { <Cabinet page=order_page/> }
}

fn order_page(_user: CurrentUser) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, get_order);
    let payment_result = move || query.with(|q| q.get("payment"));
    let welcome = move || query.with(|q| q.get("welcome").is_some());
    view! {
        <Show when=welcome>
            <p class="mb-3 rounded-lg border border-green-200 bg-green-50 px-3 py-2 text-green-900" data-testid="welcome">{move || crate::i18n::ordering::t().account_created}</p>
        </Show>
        {move || payment_result().map(|r| {
            let ok = r == "paid";
            view! {
                <p data-testid="payment-result" class=if ok { "mb-3 rounded-lg border border-green-200 bg-green-50 px-3 py-2 text-green-900" } else { "mb-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-red-900" }>
                    {move || if ok { crate::i18n::ordering::t().payment_succeeded } else { crate::i18n::ordering::t().payment_declined }}
                </p>
            }
        })}
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(order) => view! { <Order order/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700" data-testid="order-error">{move || e.message(use_locale().get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn Order(order: OrderDetail, #[prop(optional)] staff: bool) -> impl IntoView {
    let locale = use_locale();
    let status = order.status;
    let id = order.id;
    let pickup = order.fulfilment == Fulfilment::Pickup;
    let timeline = view! { <Timeline events=order.events.clone() lines=order.lines.clone() pickup/> };
    let progress = order.progress();
    let track = order.channel != domain::ordering::workflow::SalesChannel::Shop;
    let shipments = (!order.shipments.is_empty()).then(|| view! { <Shipments order=order.clone()/> });
    let comments = view! { <Comments order_id=id comments=order.comments.clone() staff/> };
    let (can_pick, can_ship) =
        (staff && assembly_rules::can_pick(status), staff && assembly_rules::can_ship(status, order.fulfilment));
    let assembly_lines: Vec<AssemblyLine> = order
        .lines
        .iter()
        .zip(order.assembly())
        .map(|(l, progress)| AssemblyLine { name: l.name.clone(), sku: l.sku.clone(), progress })
        .collect();
    let document = order.document();
    let lines = order.lines.iter().enumerate().map(|(i, l)| {
        let (s, picked, unit, list, total) = (l.shipped, l.picked, l.unit, l.unit_price, l.total);
        // Each position as printed on the invoice: quantity × unit price after discounts.
        let positions = document.positions(i).map(|p| {
            let (q, price) = (p.quantity.thousandths(), p.price);
            view! {
                <span class="block text-xs text-slate-500" data-testid="order-position" data-price=price data-quantity=q data-sum=p.sum>
                    {move || quantity(locale.get(), q, unit)} " × " {move || money(locale.get(), price)}
                    {(price < list).then(|| view! { " " <s class="text-slate-600">{move || money(locale.get(), list)}</s> })}
                </span>
            }
        }).collect_view();
        view! {
            <li class="flex flex-wrap justify-between gap-2 border-t border-slate-100 py-2" data-testid="order-line">
                <span class="min-w-0">
                    <a href=format!("/catalog/{}", l.product_id) class="block hover:text-sky-800">{l.name.clone()}</a>
                    <span class="block text-xs text-slate-500">{l.sku.clone()}</span>
                    {positions}
                    {(staff && picked > s).then(|| view! { <span class="block text-xs text-sky-800" data-testid="line-picked">{move || crate::i18n::ordering::t().picked_lower} ": " {move || quantity(locale.get(), picked, unit)}</span> })}
                    {(s > 0).then(|| view! { <span class="block text-xs text-green-700" data-testid="line-shipped">{move || crate::i18n::ordering::t().shipped} ": " {move || quantity(locale.get(), s, unit)}</span> })}
                </span>
                <span class="font-semibold" data-testid="order-line-sum">{move || money(locale.get(), total)}</span>
            </li>
        }
    }).collect_view();
    let vat = document.vat;
    let payment_status = order.payment_status;
    let place = match order.fulfilment {
        Fulfilment::Pickup => order.pickup_point.clone().unwrap_or_default(),
        Fulfilment::Delivery => order.delivery_address.clone().unwrap_or_default(),
    };
    let fulfilment = order.fulfilment;
    let payable = order.payable_online;
    let refunds = order.refunds.clone();
    let paid = payment_status == PaymentStatus::Paid;
    let invoices = order.invoices.clone();
    let schedule = order.may_schedule.then(|| {
        let rows: Vec<(String, String)> = order
            .invoices
            .iter()
            .map(|i| (i.due_on.to_string(), crate::pages::invoicing::typed_rubles(i.amount)))
            .collect();
        (rows, order.total)
    });
    let client_manager = order.client_manager.clone();
    // Assembly waits for this invoice's payment (the channel asks for it, nothing is assembled yet).
    let waits =
        order.facts().waits_for_payment() && !paid && domain::ordering::workflow::BEFORE_ASSEMBLY.contains(&status);
    let record = order.may_record_payment;
    let credit = order.credit_check;
    // What comes next in this order's channel (the staff's steps, not a cancellation).
    let next: Vec<OrderStatus> = order
        .channel
        .transitions()
        .iter()
        .filter(|t| t.from == status && t.to != OrderStatus::Cancelled)
        .map(|t| t.to)
        .collect();
    let moves = order.moves.clone();
    let stage = Some(status);
    view! {
        <OrderHead order_id=id progress live=!staff pickup track/>
        {(stage == Some(OrderStatus::AwaitingApproval)).then(|| view! {
            <p class="mb-3 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="awaiting-approval">{move || crate::i18n::ordering::t().awaiting_approval_hint}</p>
        })}
        <div class="grid gap-4 lg:grid-cols-[1fr_20rem]">
            <div>
            <section class="rounded-xl border border-slate-200 bg-white p-4">
                <h2 class="mb-1 font-semibold">{move || crate::i18n::ordering::t().order_lines}</h2>
                <ul>{lines}</ul>
                <dl class="mt-2 space-y-0.5 text-sm">
                    <div class="flex justify-between"><dt>{move || t().subtotal}</dt><dd>{move || money(locale.get(), order.gross)}</dd></div>
                    <div class="flex justify-between"><dt>{move || t().discount}</dt><dd>{move || money(locale.get(), order.discount)}</dd></div>
                    <div class="flex justify-between text-base font-bold"><dt>{move || t().total}</dt><dd data-testid="order-total">{move || money(locale.get(), order.total)}</dd></div>
                    <div class="flex justify-between text-slate-500"><dt>{move || t().vat_included}</dt><dd>{move || money(locale.get(), vat)}</dd></div>
                </dl>
            </section>
            {comments}
            </div>
            <div class="space-y-4">
                {(can_pick || can_ship).then(|| view! { <AssemblyForm order_id=id lines=assembly_lines pick=can_pick ship=can_ship/> })}
                {shipments}
                <section class="rounded-xl border border-slate-200 bg-white p-4 text-sm">
                    <p class="font-semibold">{move || if fulfilment == Fulfilment::Pickup { t().pickup } else { t().delivery }}</p>
                    <p class="text-slate-600">{place}</p>
                    <p class="mt-2 font-semibold">{move || t().payment_label}</p>
                    <p data-testid="payment-status">{move || payment_status_name(locale.get(), payment_status)}</p>
                    {order.hold_until.map(|until| view! {
                        <p class="mt-2 rounded-lg border border-amber-200 bg-amber-50 px-2 py-1 text-amber-900" data-testid="hold-until">
                            {move || crate::i18n::ordering::t().hold_until} " "
                            {move || locale.get().format_datetime(until, domain::locale::moscow())} " "
                            {move || crate::i18n::ordering::t().hold_until_hint}
                        </p>
                    })}
                    {refunds.into_iter().map(|r| view! {
                        <p class="mt-2 rounded-lg border border-sky-200 bg-sky-50 px-2 py-1" data-testid="refund">
                            {move || crate::i18n::ordering::t().refund} " " {move || money(locale.get(), r.amount)} ": "
                            <span data-testid="refund-status">{move || if r.done { crate::i18n::ordering::t().refund_done } else { crate::i18n::ordering::t().refund_waiting }}</span>
                        </p>
                    }).collect_view()}
                    {payable.then(|| view! { <PayAgain order_id=id/> })}
                    {invoices.into_iter().map(|invoice| view! { <InvoicePanel order_id=id invoice waits record buyer=!staff/> }).collect_view()}
                </section>
                {schedule.map(|(rows, total)| view! { <ScheduleForm order_id=id rows total today=crate::pages::invoicing::today()/> })}
                {client_manager.map(|client| view! { <crate::pages::crm::ManagerPicker order_id=id client/> })}
                {credit.map(|check| view! { <CreditPanel check/> })}
                <section class="rounded-xl border border-slate-200 bg-white p-4">
                    <h2 class="mb-2 font-semibold">{move || crate::i18n::ordering::t().timeline}</h2>
                    {timeline}
                    {(!next.is_empty()).then(|| view! {
                        <p class="mt-2 text-xs text-slate-500">{move || crate::i18n::ordering::t().next_steps} ": "
                            {let n = next.clone(); move || n.iter().map(|s| order_status_name(locale.get(), *s)).collect::<Vec<_>>().join(", ")}</p>
                    })}
                </section>
                {(!moves.is_empty()).then(|| view! { <OrderMoves order_id=id moves staff paid/> })}
                {(!staff).then(|| view! { <RepeatOrder order_id=id/> })}
            </div>
        </div>
    }
}

/// The moves the viewer may make on this order (a buyer: cancel before assembly, confirm an order
/// awaiting confirmation). A cancellation asks once more, with an optional reason.
#[island(lazy)]
fn OrderMoves(order_id: i64, moves: Vec<OrderStatus>, staff: bool, paid: bool) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let pending = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let make = move |to: OrderStatus| {
        pending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let note = reason.get_untracked();
            let moved = if staff {
                crate::api::ordering::staff_move_order(order_id, to, note).await
            } else {
                crate::api::ordering::move_order(order_id, to, note).await
            };
            match moved {
                Ok(_) => go(&format!("{}/{order_id}", if staff { "/staff/orders" } else { "/orders" })),
                Err(e) => {
                    error.set(Some(match e.field_code("status").or_else(|| e.field_code("note")) {
                        Some(code) => code_message(locale.get_untracked(), code),
                        None => e.message(locale.get_untracked()),
                    }));
                    pending.set(false);
                }
            }
        });
    };
    let buttons = moves
        .into_iter()
        .map(|to| {
            let label = move || match to {
                OrderStatus::Cancelled => crate::i18n::ordering::t().cancel_order.to_string(),
                OrderStatus::Confirmed => crate::i18n::ordering::t().confirm_order.to_string(),
                other => order_status_name(locale.get(), other).to_string(),
            };
            let class = if to == OrderStatus::Cancelled { SECONDARY_BUTTON_CLASS } else { BUTTON_CLASS };
            let click = move |_| if to == OrderStatus::Cancelled { confirming.set(true) } else { make(to) };
            view! {
                <button type="button" class=format!("{class} w-full") data-testid=format!("order-move-{}", to.code())
                    on:click=click disabled=move || pending.get()>{label}</button>
            }
        })
        .collect_view();
    view! {
        <section class="space-y-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="order-moves">
            {buttons}
            <Show when=move || confirming.get()>
                <div class="space-y-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm" data-testid="cancel-dialog">
                    <p>{move || crate::i18n::ordering::t().cancel_order_confirm}</p>
                    {paid.then(|| view! { <p data-testid="cancel-refund-hint">{move || crate::i18n::ordering::t().cancel_refund_hint}</p> })}
                    <label class="block font-medium" for="cancel-reason">
                        {move || if staff { crate::i18n::ordering::t().cancel_reason_required } else { crate::i18n::ordering::t().cancel_reason }}
                    </label>
                    <input id="cancel-reason" class=crate::components::form::INPUT_CLASS data-testid="cancel-reason"
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <button type="button" class=format!("{BUTTON_CLASS} w-full bg-red-700") data-testid="cancel-confirm"
                        on:click=move |_| make(OrderStatus::Cancelled) disabled=move || pending.get()>
                        {move || crate::i18n::ordering::t().cancel_order}
                    </button>
                </div>
            </Show>
            <p role="alert" class="text-sm text-red-700" data-testid="move-error">{move || error.get()}</p>
        </section>
    }
}

/// The order's lines go into the cart again, and the buyer to the cart.
#[island(lazy)]
fn RepeatOrder(order_id: i64) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let repeating = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let repeat = move |_| {
        repeating.set(true);
        leptos::task::spawn_local(async move {
            match repeat_order(order_id).await {
                Ok(_) => go("/cart"),
                Err(e) => {
                    error.set(Some(e.message(locale.get_untracked())));
                    repeating.set(false);
                }
            }
        });
    };
    view! {
        <button type="button" class=format!("{SECONDARY_BUTTON_CLASS} w-full") data-testid="repeat-order" on:click=repeat disabled=move || repeating.get()>
            {move || crate::i18n::ordering::t().repeat_order}
        </button>
        <p role="alert" class="text-sm text-red-700">{move || error.get()}</p>
    }
}

/// An online payment that did not go through (or was left unfinished) can be made again.
#[island(lazy)]
fn PayAgain(order_id: i64) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let pay = move |_| {
        pending.set(true);
        leptos::task::spawn_local(async move {
            match crate::api::payments::pay_order(order_id).await {
                Ok(url) => go(&url),
                Err(e) => {
                    error.set(Some(e.message(locale.get_untracked())));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <button type="button" class=format!("{BUTTON_CLASS} mt-2 w-full") data-testid="pay-now" on:click=pay disabled=move || pending.get()>
            {move || crate::i18n::ordering::t().pay_now}
        </button>
        <p role="alert" class="text-sm text-red-700">{move || error.get()}</p>
    }
}
