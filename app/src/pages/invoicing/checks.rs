//! Invoicing area, the accountant's queue (heads within their region, administrators): orders that
//! wait for their invoice to be paid before assembly, by due day — overdue ones marked — and the
//! latest closed checks with why they closed. Each leads to the order, where the payment is recorded.

use leptos::prelude::*;

use super::{Queue, queue_page};
use crate::api::invoicing::payment_checks;
use crate::components::Cabinet;
use crate::components::format::money;
use crate::i18n::invoicing::t;
use crate::i18n::{order_status_name, use_locale};
use crate::model::{CheckOutcome, CurrentUser, PaymentCheck};
use crate::pages::ordering::status_class;

#[component]
pub fn PaymentChecksPage() -> impl IntoView {
    view! { <Cabinet page=checks_page/> }
}

fn outcome_name(outcome: CheckOutcome) -> &'static str {
    match outcome {
        CheckOutcome::Paid => t().outcome_paid,
        CheckOutcome::Cancelled => t().outcome_cancelled,
        CheckOutcome::NotNeeded => t().outcome_not_needed,
    }
}

fn checks_page(_user: CurrentUser) -> impl IntoView {
    let queue = Queue {
        open_path: "/staff/payments",
        closed_path: "/staff/payments?closed=1",
        testid: "checks",
        title: || t().checks_title,
        intro: || t().checks_intro,
        open: || t().checks_open,
        closed: || t().checks_closed,
        empty: || t().checks_empty,
        closed_empty: || t().checks_closed_empty,
    };
    queue_page(queue, payment_checks, |check, today| view! { <CheckItem check today/> })
}

#[component]
fn CheckItem(check: PaymentCheck, today: chrono::NaiveDate) -> impl IntoView {
    let locale = use_locale();
    let PaymentCheck { order_id, order_status, client, invoice, amount, paid, due_on, created_at: _, closed } = check;
    let overdue = closed.is_none() && due_on < today;
    let left = (amount - paid).max(0);
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-3 text-sm" data-testid="check">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <a href=format!("/staff/orders/{order_id}") class="font-semibold text-sky-800 hover:underline" data-testid="check-order">
                    {move || crate::i18n::ordering::t().order_number} {order_id}
                </a>
                <span class=format!("rounded-full px-2 py-0.5 text-xs {}", status_class(order_status))>
                    {move || order_status_name(locale.get(), order_status)}
                </span>
            </div>
            <p>{client}</p>
            <p class="text-slate-600">{move || t().invoice} " " {invoice.clone()} " · " {move || money(locale.get(), amount)}</p>
            <p class="flex flex-wrap justify-between gap-2">
                <span class=if overdue { "font-semibold text-red-700" } else { "" } data-testid="check-due">
                    {move || t().checks_due} ": " {move || locale.get().format_date(due_on)}
                    {overdue.then(|| view! { " · " {move || t().checks_overdue} })}
                </span>
                {match closed {
                    None => view! { <span>{move || t().checks_left} ": " <span class="font-semibold" data-testid="check-left">{move || money(locale.get(), left)}</span></span> }.into_any(),
                    Some((at, outcome)) => view! {
                        <span data-testid="check-outcome">{move || outcome_name(outcome)} " · " {move || locale.get().format_datetime(at, domain::locale::moscow())}</span>
                    }.into_any(),
                }}
            </p>
        </li>
    }
}
