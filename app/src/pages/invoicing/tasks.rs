//! Invoicing area, the managers' payment follow-up (seed 001: "контроль оплаты по графику"): on
//! each invoice's due day its client's manager gets a task — see that the money comes. A task
//! closes by itself when the invoice is paid in full or becomes void; otherwise the manager closes
//! it with a note of what was agreed. Managers see their clients' and their region's unassigned
//! ones, heads their region, administrators all.

use leptos::prelude::*;

use super::{Queue, queue_page};
use crate::api::invoicing::payment_tasks;
use crate::components::Cabinet;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS};
use crate::components::format::money;
use crate::i18n::invoicing::t;
use crate::i18n::{code_message, use_locale};
use crate::model::{CurrentUser, PaymentTask, TaskOutcome};

#[component]
pub fn PaymentTasksPage() -> impl IntoView {
    view! { <Cabinet page=tasks_page/> }
}

fn outcome_name(outcome: TaskOutcome) -> &'static str {
    match outcome {
        TaskOutcome::Paid => t().task_outcome_paid,
        TaskOutcome::Void => t().task_outcome_void,
        TaskOutcome::Done => t().task_outcome_done,
    }
}

fn tasks_page(_user: CurrentUser) -> impl IntoView {
    let queue = Queue {
        open_path: "/staff/tasks",
        closed_path: "/staff/tasks?closed=1",
        testid: "tasks",
        title: || t().tasks_title,
        intro: || t().tasks_intro,
        open: || t().tasks_open,
        closed: || t().tasks_closed,
        empty: || t().tasks_empty,
        closed_empty: || t().tasks_closed_empty,
    };
    queue_page(queue, payment_tasks, |task, today| view! { <TaskItem task today/> })
}

#[component]
fn TaskItem(task: PaymentTask, today: chrono::NaiveDate) -> impl IntoView {
    let locale = use_locale();
    let PaymentTask { id, order_id, client, manager, invoice, instalment, amount, paid, due_on, closed } = task;
    let overdue = closed.is_none() && due_on < today;
    let left = (amount - paid).max(0);
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-3 text-sm" data-testid="task">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <a href=format!("/staff/orders/{order_id}") class="font-semibold text-sky-800 hover:underline" data-testid="task-order">
                    {move || crate::i18n::ordering::t().order_number} {order_id}
                </a>
                <span class=if overdue { "font-semibold text-red-700" } else { "" } data-testid="task-due">
                    {move || t().checks_due} ": " {move || locale.get().format_date(due_on)}
                    {overdue.then(|| view! { " · " {move || t().checks_overdue} })}
                </span>
            </div>
            <p>{client} " · " <span class="text-slate-600">{move || t().task_manager} ": "
                {let m = manager.clone(); move || m.clone().unwrap_or_else(|| t().task_no_manager.to_string())}</span></p>
            <p class="text-slate-600" data-testid="task-invoice">
                {instalment.map(|(k, n)| view! { {move || t().instalment} " " {k} " " {move || t().instalment_of} " " {n} " · " })}
                {move || t().invoice} " " {invoice.clone()} " · " {move || money(locale.get(), amount)}
            </p>
            {match closed {
                None => view! {
                    <p>{move || t().checks_left} ": " <span class="font-semibold" data-testid="task-left">{move || money(locale.get(), left)}</span></p>
                    <TaskDone id/>
                }.into_any(),
                Some(done) => view! {
                    <p data-testid="task-outcome">
                        {move || outcome_name(done.outcome)} " · " {move || locale.get().format_datetime(done.at, domain::locale::moscow())}
                        {done.by.clone().map(|by| view! { " · " {by} })}
                    </p>
                    {(!done.note.is_empty()).then(|| view! { <p class="text-slate-600" data-testid="task-note">{done.note.clone()}</p> })}
                }.into_any(),
            }}
        </li>
    }
}

/// Closes a task with what was agreed with the client.
#[island(lazy)]
fn TaskDone(id: i64) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let send = move |_| {
        let text = note.get_untracked();
        if text.trim().is_empty() {
            error.set(Some(code_message(locale.get_untracked(), "task.note_missing")));
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            match crate::api::invoicing::close_payment_task(id, text).await {
                Ok(()) => crate::pages::go("/staff/tasks"),
                Err(e) => {
                    let l = locale.get_untracked();
                    error.set(Some(e.field_code("note").map_or_else(|| e.message(l), |c| code_message(l, c))));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <div class="mt-2 flex flex-wrap items-end gap-2" data-testid="task-done-form">
            <div class="min-w-0 flex-1">
                <label class="block text-xs text-slate-600" for=format!("task-note-{id}")>{move || t().task_note}</label>
                <input id=format!("task-note-{id}") type="text" maxlength="500" class=INPUT_CLASS data-testid="task-note-input"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))
                    aria-invalid=move || error.get().is_some().to_string()/>
            </div>
            <button type="button" class=BUTTON_CLASS data-testid="task-done" on:click=send disabled=move || pending.get()>
                {move || t().task_done}
            </button>
            <p role="alert" class="w-full text-sm text-red-700" data-testid="task-error">{move || error.get()}</p>
        </div>
    }
}
