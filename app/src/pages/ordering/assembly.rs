//! Ordering area, assembly and shipment on the order page: the head of the page with the status
//! and the picked and shipped shares (live on the buyer's open page), the shipments made, and the
//! warehouse's form to record picking and shipments line by line (staff).

use domain::ordering::assembly::{self, AssemblyError, LineProgress, Shares};
use leptos::prelude::*;

use super::status_class;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::format::quantity;
use crate::error::AppError;
use crate::i18n::ordering::t;
use crate::i18n::{code_message, order_status_name, use_locale};
use crate::model::{OrderDetail, OrderProgress, ShipmentView};

/// The order's number and status, and — once it is in the warehouse's hands — how much is picked
/// and how much has left. On the buyer's page it follows the order live (`/events/orders/:id`).
#[island(lazy)]
pub(super) fn OrderHead(
    order_id: i64,
    progress: OrderProgress,
    live: bool,
    pickup: bool,
    track: bool,
) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let current = RwSignal::new(progress);
    #[cfg(feature = "hydrate")]
    if live {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;
        if let Ok(source) = web_sys::EventSource::new(&format!("/events/orders/{order_id}")) {
            let on_progress = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let parsed = ev.data().as_string().and_then(|text| serde_json::from_str::<OrderProgress>(&text).ok());
                if let Some(p) = parsed {
                    current.set(p);
                }
            });
            let _ = source.add_event_listener_with_callback("progress", on_progress.as_ref().unchecked_ref());
            on_progress.forget();
            // The page's lifetime: the browser closes the stream when the page goes.
            std::mem::forget(source);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = live;
    let status = move || current.get().status;
    let shares = move || current.get().shares;
    // Assembly has started once the order awaits it (or anything is picked or has left).
    let started = move || {
        use domain::status::OrderStatus::*;
        let p = current.get();
        p.shares.picked > 0
            || p.shipments > 0
            || matches!(p.status, AwaitingAssembly | Assembled | Shipped | ReadyForPickup | Completed)
    };
    view! {
        <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h1 class="text-2xl font-bold" data-testid="order-title">{move || t().order_number} {order_id}</h1>
            <span data-testid="order-status" class=move || format!("rounded-full px-3 py-1 text-sm font-semibold {}", status_class(status()))>
                {move || order_status_name(locale.get(), status())}
            </span>
        </div>
        <Show when=move || track && status() != domain::status::OrderStatus::Cancelled>
            <section class="mb-4 space-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="progress">
                <Show when=started fallback=move || view! { <p class="text-slate-500" data-testid="assembly-not-started">{move || t().assembly_not_started}</p> }>
                    <Bar label=Signal::derive(move || t().picked_share) percent=Signal::derive(move || shares().picked) testid="picked-share"/>
                    <Bar label=Signal::derive(move || if pickup { t().handed_share } else { t().shipped_share })
                        percent=Signal::derive(move || shares().shipped) testid="shipped-share"/>
                    <p class="text-xs text-slate-500" data-testid="lines-shipped">
                        {move || { let s: Shares = shares(); format!("{} {} / {}", t().lines_shipped, s.lines_shipped, s.lines) }}
                    </p>
                </Show>
            </section>
        </Show>
    }
}

#[component]
fn Bar(label: Signal<&'static str>, percent: Signal<u8>, testid: &'static str) -> impl IntoView {
    view! {
        <div>
            <p class="flex justify-between"><span>{label}</span><span class="font-semibold" data-testid=testid>{move || format!("{} %", percent.get())}</span></p>
            <div class="mt-1 h-2 rounded-full bg-slate-100" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=move || percent.get() aria-label=label>
                <div class="h-2 rounded-full bg-sky-600" style=move || format!("width: {}%", percent.get())></div>
            </div>
        </div>
    }
}

/// The shipments made (for pickup orders and till sales: the handover), each with its lines.
#[component]
pub(super) fn Shipments(order: OrderDetail) -> impl IntoView {
    let locale = use_locale();
    let pickup = order.fulfilment == domain::ordering::Fulfilment::Pickup;
    let lines = order.lines.clone();
    let items = order
        .shipments
        .into_iter()
        .map(|s: ShipmentView| {
            let carried = s
                .lines
                .iter()
                .filter_map(|&(i, q)| lines.get(i).map(|l| (l.name.clone(), q, l.unit)))
                .map(|(name, q, unit)| {
                    view! { <li class="flex justify-between gap-2"><span>{name}</span><span class="whitespace-nowrap">{move || quantity(locale.get(), q, unit)}</span></li> }
                })
                .collect_view();
            let (number, at, by, note) = (s.number, s.at, s.by.clone(), s.note.clone());
            view! {
                <li class="border-t border-slate-100 py-2" data-testid="shipment">
                    <p class="font-medium">{move || if pickup { t().handover_number } else { t().shipment_number }} {number}</p>
                    <p class="text-xs text-slate-500">
                        {move || locale.get().format_datetime(at, domain::locale::moscow())}
                        {by.clone().map(|name| view! { " · " {name} })}
                        {(!note.is_empty()).then(|| view! { " · " {note.clone()} })}
                    </p>
                    <ul class="text-xs">{carried}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="shipments">
            <h2 class="font-semibold">{move || if pickup { t().handovers } else { t().shipments }}</h2>
            <ul>{items}</ul>
        </section>
    }
}

/// One line of the warehouse's form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AssemblyLine {
    pub name: String,
    pub sku: String,
    pub progress: LineProgress,
}

/// Why the form is not sent: a message per line (or none), and one for the whole form.
type Refused = (Vec<Option<String>>, Option<String>);

/// Plain digits for an input (no grouping): 2500 thousandths → "2,5".
fn plain(thousandths: i64, locale: domain::Locale) -> String {
    let (whole, frac) = (thousandths / 1000, (thousandths % 1000).abs());
    if frac == 0 {
        return whole.to_string();
    }
    let sep = if locale == domain::Locale::Ru { ',' } else { '.' };
    format!("{whole}{sep}{}", format!("{frac:03}").trim_end_matches('0'))
}

/// The warehouse's form: how much of each line is picked (while the order awaits assembly) and
/// what leaves in a shipment (delivery orders; partial shipments allowed). Each line is checked as
/// it is typed, by the same rules the server applies.
#[island(lazy)]
pub(super) fn AssemblyForm(order_id: i64, lines: Vec<AssemblyLine>, pick: bool, ship: bool) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let progress: Vec<LineProgress> = lines.iter().map(|l| l.progress).collect();
    let start = locale.get_untracked();
    let picked: Vec<RwSignal<String>> = progress.iter().map(|l| RwSignal::new(plain(l.picked, start))).collect();
    let to_ship: Vec<RwSignal<String>> =
        progress.iter().map(|l| RwSignal::new(plain(l.picked - l.shipped, start))).collect();
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(vec![None::<String>; lines.len()]);
    let general = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    // The form's lines checked by the domain: per-line messages, or the amounts.
    let check = {
        let progress = progress.clone();
        let (picked, to_ship) = (picked.clone(), to_ship.clone());
        move |shipment: bool| -> Result<Vec<String>, Refused> {
            let l = locale.get_untracked();
            let typed: Vec<String> =
                if shipment { &to_ship } else { &picked }.iter().map(|s| s.get_untracked()).collect();
            let mut per_line = vec![None; progress.len()];
            match assembly::apply_typed(&progress, &typed, shipment) {
                Ok(_) => Ok(typed),
                Err(AssemblyError::Issues(issues)) => {
                    for issue in issues {
                        per_line[issue.line] = Some(code_message(l, issue.code));
                    }
                    Err((per_line, None))
                }
                Err(other) => Err((per_line, Some(code_message(l, domain::ErrorCode::code(&other))))),
            }
        }
    };
    let submit = {
        let count = lines.len();
        move |shipment: bool| {
            general.set(None);
            let typed = match check(shipment) {
                Ok(typed) => typed,
                Err((per_line, whole)) => {
                    errors.set(per_line);
                    general.set(whole);
                    return;
                }
            };
            errors.set(vec![None; count]);
            pending.set(true);
            leptos::task::spawn_local(async move {
                let saved = if shipment {
                    crate::api::ordering::record_shipment(order_id, typed, note.get_untracked()).await
                } else {
                    crate::api::ordering::record_picks(order_id, typed).await
                };
                match saved {
                    Ok(_) => super::super::go(&format!("/staff/orders/{order_id}")),
                    Err(e) => {
                        let l = locale.get_untracked();
                        errors.set(
                            (0..count)
                                .map(|i| e.field_code(&format!("line-{i}")).map(|c| code_message(l, c)))
                                .collect(),
                        );
                        general.set(Some(match e.field_code("assembly").or_else(|| e.field_code("note")) {
                            Some(code) => code_message(l, code),
                            None if matches!(e, AppError::Validation(_)) => code_message(l, "assembly.invalid"),
                            None => e.message(l),
                        }));
                        pending.set(false);
                    }
                }
            });
        }
    };
    let rows = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let p = line.progress;
            let unit = p.unit;
            let (pick_in, ship_in) = (picked[i], to_ship[i]);
            let error = move || errors.get().get(i).cloned().flatten();
            view! {
                <li class="border-t border-slate-100 py-2" data-testid="assembly-line">
                    <p class="font-medium">{line.name.clone()}</p>
                    <p class="text-xs text-slate-500">{line.sku.clone()} " · " {move || t().ordered} ": " {move || quantity(locale.get(), p.quantity, unit)}
                        " · " {move || t().picked} ": " {move || quantity(locale.get(), p.picked, unit)}
                        " · " {move || crate::i18n::ordering::t().shipped} ": " {move || quantity(locale.get(), p.shipped, unit)}</p>
                    <div class="mt-1 grid grid-cols-2 gap-2">
                        {pick.then(|| view! {
                            <label class="text-xs">{move || t().picked_total}
                                <input class=INPUT_CLASS inputmode="decimal" data-testid=format!("pick-{i}") prop:value=move || pick_in.get()
                                    aria-invalid=move || error().is_some().to_string()
                                    on:input=move |ev| pick_in.set(event_target_value(&ev))/>
                            </label>
                        })}
                        {ship.then(|| view! {
                            <label class="text-xs">{move || t().ship_now}
                                <input class=INPUT_CLASS inputmode="decimal" data-testid=format!("ship-{i}") prop:value=move || ship_in.get()
                                    aria-invalid=move || error().is_some().to_string()
                                    on:input=move |ev| ship_in.set(event_target_value(&ev))/>
                            </label>
                        })}
                    </div>
                    <p role="alert" class="text-sm text-red-700" data-testid=format!("assembly-error-{i}")>{error}</p>
                </li>
            }
        })
        .collect_view();
    let all_picked = {
        let picked = picked.clone();
        move |_| {
            let l = locale.get_untracked();
            for (signal, line) in picked.iter().zip(&progress) {
                signal.set(plain(line.quantity, l));
            }
        }
    };
    let (save, send) = (submit.clone(), submit);
    view! {
        <section class="space-y-2 rounded-xl border border-slate-200 bg-white p-4" data-testid="assembly-form">
            <h2 class="font-semibold">{move || t().assembly_title}</h2>
            <ul>{rows}</ul>
            {pick.then(|| view! {
                <div class="grid grid-cols-2 gap-2">
                    <button type="button" class=SECONDARY_BUTTON_CLASS data-testid="pick-all" on:click=all_picked>{move || t().pick_all}</button>
                    <button type="button" class=BUTTON_CLASS data-testid="save-picks" disabled=move || pending.get()
                        on:click=move |_| save(false)>{move || t().save_picks}</button>
                </div>
            })}
            {ship.then(|| view! {
                <label class="block text-xs" for="shipment-note">{move || t().shipment_note}</label>
                <input id="shipment-note" class=INPUT_CLASS data-testid="shipment-note" on:input=move |ev| note.set(event_target_value(&ev))/>
                <button type="button" class=format!("{BUTTON_CLASS} w-full") data-testid="record-shipment" disabled=move || pending.get()
                    on:click=move |_| send(true)>{move || t().record_shipment}</button>
            })}
            <p role="alert" class="text-sm text-red-700" data-testid="assembly-error">{move || general.get()}</p>
        </section>
    }
}
