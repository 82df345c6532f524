//! Invoicing area, the manager's payment schedule of an order (seed 001): instalments with a due
//! day and a share each — roubles or a percentage of what the sums leave. The domain crate checks
//! the rows as they are typed and shows each instalment's amount; the server checks them again and
//! replaces the order's invoice by one per instalment.

use chrono::NaiveDate;
use domain::invoicing::schedule::{self, MAX_INSTALMENTS, PlanRow};
use leptos::prelude::*;

use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::format::money;
use crate::i18n::invoicing::t;
use crate::i18n::{code_message, use_locale};

/// One row of the form: a key that survives removing others, the due day and the share as typed.
type Row = (u32, RwSignal<String>, RwSignal<String>);

#[island(lazy)]
pub(crate) fn ScheduleForm(order_id: i64, rows: Vec<(String, String)>, total: i64, today: NaiveDate) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let next_key = StoredValue::new(rows.len() as u32);
    let entries: RwSignal<Vec<Row>> = RwSignal::new(
        rows.into_iter()
            .enumerate()
            .map(|(i, (due, share))| (i as u32, RwSignal::new(due), RwSignal::new(share)))
            .collect(),
    );
    // Problems by (row key, field) — `plan` for the whole — as codes.
    let errors = RwSignal::new(Vec::<(Option<u32>, &'static str, String)>::new());
    let pending = RwSignal::new(false);
    // A failure that is no field's (the server unreachable, an expired session).
    let failure = RwSignal::new(None::<String>);
    let typed = move || -> Vec<PlanRow> {
        entries.with(|e| e.iter().map(|(_, due, share)| PlanRow { due: due.get(), share: share.get() }).collect())
    };
    // The instalments the rows make now (the same rules the server applies).
    let preview = Memo::new(move |_| schedule::instalments(&typed(), total, today).ok());
    let show = move |problems: Vec<(String, String)>| {
        let keys: Vec<u32> = entries.with_untracked(|e| e.iter().map(|r| r.0).collect());
        let placed = problems
            .into_iter()
            .map(|(field, code)| {
                let (name, row) =
                    field.split_once('.').map_or((field.as_str(), None), |(n, i)| (n, i.parse::<usize>().ok()));
                let name = match name {
                    "due" => "due",
                    "share" => "share",
                    _ => "plan",
                };
                (row.and_then(|i| keys.get(i).copied()), name, code)
            })
            .collect();
        errors.set(placed);
    };
    let send = move |_| {
        let rows = entries.with_untracked(|e| {
            e.iter()
                .map(|(_, due, share)| PlanRow { due: due.get_untracked(), share: share.get_untracked() })
                .collect::<Vec<_>>()
        });
        if let Err(problems) = schedule::instalments(&rows, total, today) {
            show(problems.into_iter().map(|p| (p.field, p.code.to_string())).collect());
            return;
        }
        errors.set(Vec::new());
        failure.set(None);
        pending.set(true);
        let plan = schedule::encode(&rows);
        leptos::task::spawn_local(async move {
            match crate::api::invoicing::set_payment_schedule(order_id, plan).await {
                Ok(_) => crate::pages::go(&format!("/staff/orders/{order_id}")),
                Err(e) => {
                    let problems: Vec<(String, String)> = match &e {
                        crate::error::AppError::Validation(fields) => {
                            fields.iter().map(|f| (f.field.clone(), f.code.clone())).collect()
                        }
                        crate::error::AppError::Conflict(f) => vec![(f.field.clone(), f.code.clone())],
                        other => {
                            failure.set(Some(other.message(locale.get_untracked())));
                            Vec::new()
                        }
                    };
                    show(problems);
                    pending.set(false);
                }
            }
        });
    };
    let message = move |key: Option<u32>, field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter().find(|(k, f, _)| *k == key && *f == field).map(|(_, _, code)| code_message(locale.get(), code))
            })
        }
    };
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        entries.update(|e| e.push((key, RwSignal::new(String::new()), RwSignal::new(String::new()))));
    };
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="schedule-form">
            <h2 class="font-semibold">{move || t().schedule_title}</h2>
            <p class="mb-2 text-slate-600">{move || t().schedule_intro}</p>
            <ol class="space-y-2">
                <For each=move || entries.get() key=|row| row.0 let((key, due, share))>
                    {
                        let due_error = message(Some(key), "due");
                        let share_error = message(Some(key), "share");
                        let amount = move || {
                            let at = entries.with(|e| e.iter().position(|r| r.0 == key));
                            preview.get().and_then(|s| at.and_then(|i| s.get(i).map(|p| p.amount)))
                        };
                        view! {
                            <li class="grid grid-cols-[1fr_1fr_auto] items-start gap-2" data-testid="schedule-row">
                                <div>
                                    <label class="block text-xs text-slate-600" for=format!("schedule-due-{key}")>{move || t().schedule_due}</label>
                                    <input id=format!("schedule-due-{key}") type="date" class=INPUT_CLASS data-testid="schedule-due"
                                        prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))
                                        aria-invalid=move || due_error().is_some().to_string()/>
                                    <p role="alert" class="text-xs text-red-700" data-testid="schedule-due-error">{due_error}</p>
                                </div>
                                <div>
                                    <label class="block text-xs text-slate-600" for=format!("schedule-share-{key}")>{move || t().schedule_share}</label>
                                    <input id=format!("schedule-share-{key}") type="text" inputmode="decimal" class=INPUT_CLASS data-testid="schedule-share"
                                        prop:value=move || share.get() on:input=move |ev| share.set(event_target_value(&ev))
                                        aria-invalid=move || share_error().is_some().to_string()/>
                                    <p role="alert" class="text-xs text-red-700" data-testid="schedule-share-error">{share_error}</p>
                                    <p class="text-xs text-slate-600" data-testid="schedule-amount">{move || amount().map(|a| money(locale.get(), a))}</p>
                                </div>
                                <button type="button" class="mt-5 text-xs text-slate-600 underline" data-testid="schedule-remove"
                                    on:click=move |_| entries.update(|e| e.retain(|r| r.0 != key))>
                                    {move || t().schedule_remove}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ol>
            <button type="button" class=format!("{SECONDARY_BUTTON_CLASS} mt-2") data-testid="schedule-add" on:click=add
                disabled=move || entries.with(|e| e.len() >= MAX_INSTALMENTS)>
                {move || t().schedule_add}
            </button>
            <p class="mt-2" data-testid="schedule-total">
                {move || t().schedule_total} ": "
                {move || preview.get().map(|s| money(locale.get(), s.iter().map(|p| p.amount).sum())).unwrap_or_else(|| "—".into())}
                " / " {move || money(locale.get(), total)}
            </p>
            <p role="alert" class="text-sm text-red-700" data-testid="schedule-error">
                {move || failure.get().or_else(|| errors.with(|e| {
                    e.iter().find(|(k, f, _)| k.is_none() && *f == "plan").map(|(_, _, code)| code_message(locale.get(), code))
                }))}
            </p>
            <button type="button" class=format!("{BUTTON_CLASS} mt-2 w-full") data-testid="schedule-send" on:click=send disabled=move || pending.get()>
                {move || t().schedule_send}
            </button>
        </section>
    }
}
