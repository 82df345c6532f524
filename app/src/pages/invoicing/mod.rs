//! Invoicing area, pages: an order's invoice panel — what was paid and by which bank payments, the
//! payment check's due day when assembly waits for the money, and for accounting staff the form to
//! record a payment from the bank statement (checked at once by the domain crate) — the
//! accountant's queue of payment checks (`checks`), the manager's payment schedule of an order
//! (`schedule`) and the managers' payment follow-up (`tasks`).

mod checks;
mod schedule;
mod tasks;

pub use checks::PaymentChecksPage;
pub(crate) use schedule::ScheduleForm;
pub use tasks::PaymentTasksPage;

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::format::money;
use crate::i18n::invoicing::t;
use crate::i18n::{code_message, use_locale};
use crate::model::InvoiceView;

/// Today in Moscow, where the seller keeps its books. Pages outside islands render on the server
/// only, so the browser's build never asks for the clock.
pub(crate) fn today() -> NaiveDate {
    #[cfg(feature = "ssr")]
    {
        chrono::Utc::now().with_timezone(&domain::locale::moscow()).date_naive()
    }
    #[cfg(not(feature = "ssr"))]
    {
        NaiveDate::default()
    }
}

/// A queue's tab: open or closed items (`?closed=1`).
fn queue_tab(href: &'static str, active: bool, label: fn() -> &'static str, testid: String) -> impl IntoView {
    let class = if active {
        "rounded-full bg-sky-700 px-3 py-1 text-sm font-medium text-white"
    } else {
        "rounded-full border border-slate-300 bg-white px-3 py-1 text-sm hover:border-sky-500"
    };
    view! { <a href=href class=class aria-current=active.then_some("page") data-testid=testid>{label}</a> }
}

/// What a staff queue (payment checks, payment tasks) says and where it is.
pub(super) struct Queue {
    /// The open items' address; the closed ones' adds `?closed=1`.
    pub open_path: &'static str,
    pub closed_path: &'static str,
    /// The list's test id (`checks`); its tabs and empty text add `-open`, `-closed`, `-empty`.
    pub testid: &'static str,
    pub title: fn() -> &'static str,
    pub intro: fn() -> &'static str,
    pub open: fn() -> &'static str,
    pub closed: fn() -> &'static str,
    pub empty: fn() -> &'static str,
    pub closed_empty: fn() -> &'static str,
}

/// A staff queue: its title and intro, the open/closed tabs, and the items as `item` shows them
/// (with today's date), or its empty text.
pub(super) fn queue_page<T, V, F>(
    queue: Queue,
    load: impl Fn(bool) -> F + Send + Sync + 'static,
    item: fn(T, NaiveDate) -> V,
) -> impl IntoView
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: std::future::Future<Output = Result<Vec<T>, crate::error::AppError>> + Send + 'static,
{
    let closed = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("closed").is_some_and(|v| v == "1"));
    let data = Resource::new(|| (), move |_| load(!closed));
    let locale = use_locale();
    let Queue { open_path, closed_path, testid, title, intro, open, closed: closed_label, empty, closed_empty } = queue;
    view! {
        <h1 class="mb-1 text-2xl font-bold">{title}</h1>
        <p class="mb-3 text-sm text-slate-600">{intro}</p>
        <nav class="mb-3 flex gap-2">
            {queue_tab(open_path, !closed, open, format!("{testid}-open"))}
            {queue_tab(closed_path, closed, closed_label, format!("{testid}-closed"))}
        </nav>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || crate::i18n::t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="text-slate-600" data-testid=format!("{testid}-empty")>{move || if closed { closed_empty() } else { empty() }}</p>
                    }.into_any(),
                    Ok(list) => {
                        let today = today();
                        view! { <ul class="space-y-2" data-testid=testid>{list.into_iter().map(|i| item(i, today)).collect_view()}</ul> }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Kopecks as a person types roubles: `1234,50`.
pub(crate) fn typed_rubles(kopecks: i64) -> String {
    format!("{},{:02}", kopecks / 100, kopecks % 100)
}

/// The invoice of an order: its number and date, what is paid and left, the bank payments against
/// it; `waits`: the order's assembly waits for this payment. Buyers and staff download the PDF
/// (each by their own address); accounting staff (`record`) record a payment.
#[component]
pub(crate) fn InvoicePanel(
    order_id: i64,
    invoice: InvoiceView,
    waits: bool,
    record: bool,
    buyer: bool,
) -> impl IntoView {
    let locale = use_locale();
    let left = invoice.outstanding();
    let InvoiceView { number, issued_on, due_on, instalment, amount, paid, cancelled, payments, check_due } = invoice;
    let payments = (!payments.is_empty()).then(|| {
        let items = payments
            .into_iter()
            .map(|p| {
                view! {
                    <li class="flex justify-between gap-2" data-testid="bank-payment">
                        <span>
                            {move || locale.get().format_date(p.paid_on)} " · " {move || crate::i18n::ordering::t().bank_document_short} " " {p.document.clone()}
                            <span class="block text-xs text-slate-500">{p.recorded_by.clone()}</span>
                        </span>
                        <span class="font-medium">{move || money(locale.get(), p.amount)}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <p class="mt-2 font-medium">{move || t().bank_payments}</p>
            <ul class="space-y-1">{items}</ul>
        }
    });
    view! {
        <div class="mt-2 space-y-1" data-testid="invoice">
            <p class="font-medium">
                {instalment.map(|k| view! { {move || t().instalment} " " {k} " · " })}
                {move || t().invoice} " " <span data-testid="invoice-number">{number.clone()}</span> " · " {move || locale.get().format_date(issued_on)}
            </p>
            {(!cancelled && left > 0).then(|| view! {
                <p data-testid="invoice-due">{move || t().invoice_due} " " {move || locale.get().format_date(due_on)}</p>
            })}
            <dl class="space-y-0.5">
                <div class="flex justify-between"><dt>{move || t().invoice_amount}</dt><dd>{move || money(locale.get(), amount)}</dd></div>
                <div class="flex justify-between"><dt>{move || t().invoice_paid}</dt><dd data-testid="invoice-paid">{move || money(locale.get(), paid)}</dd></div>
                {(!cancelled).then(|| view! {
                    <div class="flex justify-between font-semibold"><dt>{move || t().invoice_left}</dt><dd data-testid="invoice-left">{move || money(locale.get(), left)}</dd></div>
                })}
            </dl>
            {cancelled.then(|| view! {
                <p class="rounded-lg border border-slate-200 bg-slate-50 px-2 py-1" data-testid="invoice-void">
                    {move || t().invoice_void} {(paid > 0).then(|| view! { " " {move || t().invoice_void_paid} })}
                </p>
            })}
            {(waits && !cancelled).then(|| view! {
                <p class="rounded-lg border border-amber-200 bg-amber-50 px-2 py-1 text-amber-900" data-testid="waits-for-payment">
                    {move || t().waits_for_payment}
                    {check_due.filter(|_| !buyer).map(|due| view! { " " {move || t().check_due} " " {move || locale.get().format_date(due)} "." })}
                </p>
            })}
            {payments}
            <a href=format!("{}/{order_id}/invoice.pdf?invoice={number}", if buyer { "/orders" } else { "/staff/orders" })
                class=SECONDARY_BUTTON_CLASS data-testid="invoice-pdf">{move || t().download_invoice}</a>
            {(record && left > 0).then(|| view! {
                <BankPaymentForm order_id invoice=number.clone() left=typed_rubles(left) issued_on today=today() outstanding=left/>
            })}
        </div>
    }
}

/// A payment from the bank statement: amount (the rest of the invoice to start with), the day it
/// arrived, the payment order's number. The domain crate checks it as it is typed; the server
/// checks it again and counts one document once.
#[island(lazy)]
fn BankPaymentForm(
    order_id: i64,
    invoice: String,
    left: String,
    issued_on: NaiveDate,
    today: NaiveDate,
    outstanding: i64,
) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let amount = RwSignal::new(left);
    let paid_on = RwSignal::new(today.to_string());
    let document = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let notice = RwSignal::new(None::<&'static str>);
    let pending = RwSignal::new(false);
    let message = move |field: &'static str| {
        move || errors.with(|e| e.iter().find(|(f, _)| f == field).map(|(_, code)| code_message(locale.get(), code)))
    };
    // Each invoice of a schedule has its own form: the inputs' ids name the invoice.
    let suffix = invoice.clone();
    let send = move |_| {
        use domain::ErrorCode;
        notice.set(None);
        // The same rules the server applies, at once (with the day the page was made).
        let checked = domain::invoicing::bank_payment(
            &amount.get_untracked(),
            &paid_on.get_untracked(),
            &document.get_untracked(),
            issued_on,
            outstanding,
            today,
        );
        if let Err(found) = checked {
            errors.set(found.iter().map(|e| (e.field().to_string(), e.code().to_string())).collect());
            return;
        }
        errors.set(Vec::new());
        pending.set(true);
        let invoice = invoice.clone();
        leptos::task::spawn_local(async move {
            let sent = crate::api::invoicing::record_bank_payment(
                order_id,
                invoice.clone(),
                amount.get_untracked(),
                paid_on.get_untracked(),
                document.get_untracked(),
            )
            .await;
            match sent {
                Ok(reply) if reply.duplicate => {
                    notice.set(Some(t().record_duplicate));
                    pending.set(false);
                }
                Ok(_) => crate::pages::go(&format!("/staff/orders/{order_id}")),
                Err(e) => {
                    let l = locale.get_untracked();
                    let fields: Vec<(String, String)> = ["amount", "paid_on", "document", "invoice"]
                        .iter()
                        .filter_map(|f| e.field_code(f).map(|c| (f.to_string(), c.to_string())))
                        .collect();
                    errors.set(if fields.is_empty() { vec![("form".into(), e.message(l))] } else { fields });
                    pending.set(false);
                }
            }
        });
    };
    let field = move |id: &'static str, label: fn() -> &'static str, value: RwSignal<String>, kind: &'static str| {
        let error = message(id);
        view! {
            <div>
                <label class="block font-medium" for=format!("bank-{id}-{suffix}")>{label}</label>
                <input id=format!("bank-{id}-{suffix}") type=kind class=INPUT_CLASS data-testid=format!("bank-{id}")
                    inputmode=(id == "amount").then_some("decimal")
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || error().is_some().to_string()/>
                <p role="alert" class="text-sm text-red-700" data-testid=format!("bank-{id}-error")>{error}</p>
            </div>
        }
    };
    view! {
        <div class="mt-3 space-y-2 rounded-lg border border-slate-200 p-3" data-testid="bank-payment-form">
            <p class="font-semibold">{move || t().record_title}</p>
            {field("amount", || t().record_amount, amount, "text")}
            {field("paid_on", || t().record_date, paid_on, "date")}
            {field("document", || t().record_document, document, "text")}
            <p role="alert" class="text-sm text-red-700" data-testid="bank-error">
                {move || errors.with(|e| e.iter().find(|(f, _)| f == "form" || f == "invoice").map(|(f, v)| {
                    if f == "form" { v.clone() } else { code_message(locale.get(), v) }
                }))}
            </p>
            {move || notice.get().map(|n| view! { <p class="text-sm text-sky-900" data-testid="bank-duplicate">{n}</p> })}
            <button type="button" class=format!("{BUTTON_CLASS} w-full") data-testid="bank-send" on:click=send disabled=move || pending.get()>
                {move || t().record_send}
            </button>
        </div>
    }
}
