//! Ordering area, the order's history: every change — status moves (from → to), a line's picked
//! quantity (before → after), shipments, payments — with who made it, when, and where (the
//! buyer's cabinet, a staff cabinet, the system, a payment). "Who placed the order: the manager or
//! the client" is its first entry.

use leptos::prelude::*;

use crate::components::format::quantity;
use crate::i18n::ordering::t;
use crate::i18n::{code_message, order_status_name, use_locale};
use crate::model::{OrderChange, OrderEvent, OrderLineView, Via};

fn via_name(via: Via) -> &'static str {
    match via {
        Via::Cabinet => t().via_cabinet,
        Via::Staff => t().via_staff,
        Via::System => t().via_system,
        Via::Payment => t().via_payment,
    }
}

#[component]
pub(super) fn Timeline(events: Vec<OrderEvent>, lines: Vec<OrderLineView>, pickup: bool) -> impl IntoView {
    let locale = use_locale();
    let items = events
        .into_iter()
        .map(|e| {
            let OrderEvent { at, status, change, note, by, via } = e;
            let line = match &change {
                OrderChange::Picked { line, .. } => lines.get(*line).map(|l| (l.name.clone(), l.unit)),
                _ => None,
            };
            let what = move || {
                let l = locale.get();
                match &change {
                    OrderChange::Status { previous } => {
                        // A note is either a system event's code or what a person wrote (a reason).
                        let name = order_status_name(l, status);
                        let moved = match previous {
                            Some(from) if *from != status => format!("{} → {name}", order_status_name(l, *from)),
                            Some(_) => name.to_string(),
                            None => format!("{}: {name}", t().placed),
                        };
                        match crate::i18n::known_message(&note) {
                            _ if note.is_empty() => moved,
                            Some(_) => code_message(l, &note),
                            None => format!("{moved}: {note}"),
                        }
                    }
                    OrderChange::Picked { before, after, .. } => match &line {
                        Some((name, unit)) => format!(
                            "{} «{name}»: {} → {}",
                            t().picked,
                            quantity(l, *before, *unit),
                            quantity(l, *after, *unit)
                        ),
                        None => t().picked.to_string(),
                    },
                    OrderChange::Shipment { number } => {
                        let head = if pickup { t().handover_number } else { t().shipment_number };
                        if note.is_empty() { format!("{head} {number}") } else { format!("{head} {number}: {note}") }
                    }
                    OrderChange::Payment { amount, document } => {
                        format!("{} {}, {} {document}", t().bank_payment, crate::components::format::money(l, *amount), t().bank_document_short)
                    }
                    OrderChange::Schedule { before, after } => {
                        let parts = |list: &[(chrono::NaiveDate, i64)]| {
                            list.iter()
                                .map(|(due, amount)| format!("{} {}", l.format_date(*due), crate::components::format::money(l, *amount)))
                                .collect::<Vec<_>>()
                                .join("; ")
                        };
                        format!("{}: {} → {}", t().schedule_set, parts(before), parts(after))
                    }
                }
            };
            view! {
                <li class="relative pl-5" data-testid="timeline-event">
                    <span class="absolute left-0 top-1.5 h-2.5 w-2.5 rounded-full bg-sky-600"></span>
                    <span class="block font-medium">{what}</span>
                    <span class="block text-xs text-slate-500" data-testid="timeline-by">
                        {move || locale.get().format_datetime(at, domain::locale::moscow())}
                        {by.clone().map(|(name, role)| view! { " · " {name} " (" {move || crate::i18n::role_name(locale.get(), role)} ")" })}
                        {via.map(|v| view! { " · " <span data-testid="timeline-via">{move || via_name(v)}</span> })}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="space-y-2" data-testid="timeline">{items}</ol> }
}
