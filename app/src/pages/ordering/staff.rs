//! Ordering area, staff: the orders queue of sales managers, heads and administrators (each within
//! their reach) — filters in one GET form that works without JavaScript, the count per status as
//! chips, paging — and an order's page with the moves the staff member's role may make.

use domain::StatusMachine;
use domain::ordering::workflow::SalesChannel;
use domain::status::OrderStatus;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{Order, status_class};
use crate::api::ordering::{staff_order, staff_orders};
use crate::components::Cabinet;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::format::money;
use crate::i18n::ordering::Texts;
use crate::i18n::{code_message, order_status_name, payment_status_name, t, use_locale};
use crate::model::{CurrentUser, ManagerPick, OrderFilter, OrderQueue, QueueSort};

#[component]
pub fn StaffOrdersPage() -> impl IntoView {
    view! { <Cabinet page=queue/> }
}

#[component]
pub fn StaffOrderPage() -> impl IntoView {
    view! { <Cabinet page=staff_order_page/> }
}

pub(super) fn channel_name(t: &Texts, channel: SalesChannel) -> &'static str {
    match channel {
        SalesChannel::Site => t.channel_site,
        SalesChannel::Manager => t.channel_manager,
        SalesChannel::Shop => t.channel_shop,
        SalesChannel::Dealer => t.channel_dealer,
    }
}

fn sort_name(t: &Texts, sort: QueueSort) -> &'static str {
    match sort {
        QueueSort::Newest => t.sort_newest,
        QueueSort::Oldest => t.sort_oldest,
        QueueSort::Largest => t.sort_largest,
        QueueSort::Smallest => t.sort_smallest,
    }
}

/// The queue's address with this filter, another status and page.
fn queue_link(f: &OrderFilter, status: Option<OrderStatus>, page: i64) -> String {
    let query = f.to_query(status, page);
    if query.is_empty() { "/staff/orders".into() } else { format!("/staff/orders?{query}") }
}

fn queue(_user: CurrentUser) -> impl IntoView {
    let locale = use_locale();
    let (filter, bad) = use_query_map().with_untracked(|q| OrderFilter::from_query(|name| q.get(name)));
    let data = Resource::new(move || (), {
        let filter = filter.clone();
        move |_| staff_orders(filter.clone())
    });
    let tr = move || crate::i18n::ordering::t();
    let bad_message = move |field: &'static str| {
        let code = bad.iter().find(|(f, _)| *f == field).map(|(_, c)| *c);
        move || code.map(|c| code_message(locale.get(), c))
    };
    let value = |v: Option<String>| v.unwrap_or_default();
    let f = filter.clone();
    let field = move |name: &'static str, label: fn(&Texts) -> &'static str, kind: &'static str, current: String| {
        view! {
            <label class="block text-sm">
                <span class="font-medium">{move || label(tr())}</span>
                <input name=name type=kind value=current class=INPUT_CLASS data-testid=format!("queue-{name}")
                    inputmode=(name == "number" || name == "min" || name == "max").then_some("numeric")/>
                <span class="block text-xs text-red-700">{bad_message(name)}</span>
            </label>
        }
    };
    view! {
        <h1 class="mb-3 text-2xl font-bold">{move || tr().queue_title}</h1>
        <form method="get" action="/staff/orders" class="mb-3 grid gap-2 rounded-xl border border-slate-200 bg-white p-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="queue-filters">
            {field("number", |t| t.queue_number, "text", value(f.number.map(|n| n.to_string())))}
            {field("who", |t| t.queue_who, "search", f.who.clone())}
            {field("from", |t| t.queue_from, "date", value(f.from.map(|d| d.to_string())))}
            {field("to", |t| t.queue_to, "date", value(f.to.map(|d| d.to_string())))}
            {field("min", |t| t.queue_min, "text", value(f.min_total.map(|m| (m / 100).to_string())))}
            {field("max", |t| t.queue_max, "text", value(f.max_total.map(|m| (m / 100).to_string())))}
            <label class="block text-sm">
                <span class="font-medium">{move || tr().queue_channel}</span>
                <select name="channel" class=INPUT_CLASS data-testid="queue-channel">
                    <option value="">{move || tr().queue_any}</option>
                    {SalesChannel::ALL.iter().map(|&c| view! {
                        <option value=c.code() selected=f.channel == Some(c)>{move || channel_name(tr(), c)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="block text-sm">
                <span class="font-medium">{move || tr().queue_sort}</span>
                <select name="sort" class=INPUT_CLASS data-testid="queue-sort">
                    {QueueSort::ALL.iter().map(|&s| view! {
                        <option value=s.code() selected=f.sort == s>{move || sort_name(tr(), s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="block text-sm">
                <span class="font-medium">{move || tr().queue_manager}</span>
                <select name="manager" class=INPUT_CLASS data-testid="queue-manager">
                    <option value="">{move || tr().queue_any}</option>
                    <option value="none" selected=f.manager == Some(ManagerPick::Nobody)>{move || tr().queue_no_manager}</option>
                    <Suspense>
                        {move || {
                            let chosen = f.manager;
                            Suspend::new(async move {
                                data.await.map(|q| q.managers.into_iter().map(|(id, name)| view! {
                                    <option value=id.to_string() selected=chosen == Some(ManagerPick::User(id))>{name}</option>
                                }).collect_view()).ok()
                            })
                        }}
                    </Suspense>
                </select>
            </label>
            {f.status.map(|s| view! { <input type="hidden" name="status" value=s.code()/> })}
            <div class="flex items-end">
                <button type="submit" class=format!("{BUTTON_CLASS} w-full") data-testid="queue-apply">{move || tr().queue_apply}</button>
            </div>
        </form>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || {
                let filter = filter.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(q) => view! { <Queue queue=q filter/> }.into_any(),
                        Err(e) => view! {
                            <p role="alert" class="text-red-700" data-testid="queue-error">
                                {move || match e.field_code("max_total").or_else(|| e.field_code("to")).or_else(|| e.field_code("who")) {
                                    Some(code) => code_message(locale.get(), code),
                                    None => e.message(locale.get()),
                                }}
                            </p>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Queue(queue: OrderQueue, filter: OrderFilter) -> impl IntoView {
    let locale = use_locale();
    let tr = move || crate::i18n::ordering::t();
    let all: i64 = queue.by_status.iter().map(|(_, n)| n).sum();
    let chip = |href: String, active: bool, label: String, testid: String| {
        let class = if active {
            "rounded-full bg-sky-700 px-3 py-1 text-sm font-medium text-white"
        } else {
            "rounded-full border border-slate-300 bg-white px-3 py-1 text-sm hover:border-sky-500"
        };
        view! { <a href=href class=class data-testid=testid>{label}</a> }
    };
    let chips = {
        let mut list = vec![chip(
            queue_link(&filter, None, 1),
            filter.status.is_none(),
            format!("{} ({all})", tr().queue_all),
            "queue-chip-all".into(),
        )];
        for &(status, n) in &queue.by_status {
            list.push(chip(
                queue_link(&filter, Some(status), 1),
                filter.status == Some(status),
                format!("{} ({n})", order_status_name(locale.get_untracked(), status)),
                format!("queue-chip-{}", status.code()),
            ));
        }
        list.collect_view()
    };
    let rows = queue
        .rows
        .iter()
        .map(|r| {
            let (status, payment, channel, total, at) = (r.status, r.payment_status, r.channel, r.total, r.created_at);
            let who = if r.organisation == r.buyer { r.buyer.clone() } else { format!("{} · {}", r.organisation, r.buyer) };
            let manager = r.manager.clone();
            view! {
                <li>
                    <a href=format!("/staff/orders/{}", r.id) data-testid="queue-row" data-id=r.id
                        class="grid gap-1 rounded-xl border border-slate-200 bg-white p-3 hover:border-sky-400 sm:grid-cols-[1fr_auto]">
                        <span>
                            <span class="block font-semibold">{move || crate::i18n::ordering::t().order_number} {r.id}
                                <span class="ml-2 text-xs font-normal text-slate-500">{move || locale.get().format_datetime(at, domain::locale::moscow())}</span>
                            </span>
                            <span class="block text-sm">{who}</span>
                            <span class="block text-xs text-slate-500">
                                {move || channel_name(tr(), channel)}
                                {manager.clone().map(|m| view! { " · " {move || tr().queue_manager} ": " {m.clone()} })}
                            </span>
                        </span>
                        <span class="text-right">
                            <span data-testid="queue-status" class=format!("inline-block rounded-full px-2 py-0.5 text-xs font-semibold {}", status_class(status))>
                                {move || order_status_name(locale.get(), status)}
                            </span>
                            <span class="block font-semibold">{move || money(locale.get(), total)}</span>
                            <span class="block text-xs text-slate-500">{move || payment_status_name(locale.get(), payment)}</span>
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let (page, pages) = (queue.page, queue.pages);
    view! {
        <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
            <nav class="flex flex-wrap gap-2" data-testid="queue-chips">{chips}</nav>
            <a href=format!("/staff/orders.xlsx?{}", filter.to_query(filter.status, 1)) class=SECONDARY_BUTTON_CLASS
                data-testid="queue-export" download>{move || tr().queue_export}</a>
        </div>
        {if queue.rows.is_empty() {
            view! { <p class="rounded-xl border border-slate-200 bg-white p-6 text-slate-600" data-testid="queue-empty">{move || tr().queue_empty}</p> }.into_any()
        } else {
            view! { <ul class="space-y-2" data-testid="queue">{rows}</ul> }.into_any()
        }}
        {(pages > 1).then(|| view! {
            <nav class="mt-3 flex items-center justify-between" data-testid="queue-pager">
                {(page > 1).then(|| view! { <a href=queue_link(&filter, filter.status, page - 1) class=SECONDARY_BUTTON_CLASS>"←"</a> })}
                <span class="text-sm text-slate-600">{page} " / " {pages}</span>
                {(page < pages).then(|| view! { <a href=queue_link(&filter, filter.status, page + 1) class=SECONDARY_BUTTON_CLASS data-testid="queue-next">"→"</a> })}
            </nav>
        })}
    }
}

fn staff_order_page(_user: CurrentUser) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, staff_order);
    view! {
        <a href="/staff/orders" class="mb-2 inline-block text-sm text-sky-800 hover:underline" data-testid="queue-back">
            {move || crate::i18n::ordering::t().queue_back}
        </a>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(order) => view! { <Order order staff=true/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700" data-testid="order-error">{move || e.message(use_locale().get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
