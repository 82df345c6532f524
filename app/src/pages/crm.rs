//! CRM area, pages: on a client's order, the head or administrator picks the client's responsible
//! sales manager (the new one is told at once).

use leptos::prelude::*;

use crate::components::form::{BUTTON_CLASS, INPUT_CLASS};
use crate::i18n::crm::t;
use crate::i18n::{code_message, use_locale};
use crate::model::ClientManager;

#[island(lazy)]
pub(crate) fn ManagerPicker(order_id: i64, client: ClientManager) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let ClientManager { client: name, manager, choices, .. } = client;
    let chosen = RwSignal::new(manager.as_ref().map_or(0, |m| m.0));
    let saved = RwSignal::new(manager.as_ref().map_or(0, |m| m.0));
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let send = move |_| {
        error.set(None);
        done.set(false);
        pending.set(true);
        let manager = chosen.get_untracked();
        leptos::task::spawn_local(async move {
            match crate::api::crm::assign_manager(order_id, manager).await {
                Ok(now) => {
                    saved.set(now.manager.map_or(0, |m| m.0));
                    done.set(true);
                }
                Err(e) => {
                    let l = locale.get_untracked();
                    error.set(Some(e.field_code("manager").map_or_else(|| e.message(l), |c| code_message(l, c))));
                }
            }
            pending.set(false);
        });
    };
    let options = choices
        .into_iter()
        .map(
            |(id, person)| view! { <option value=id.to_string() selected=move || chosen.get() == id>{person}</option> },
        )
        .collect_view();
    view! {
        <section class="rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="client-manager">
            <label class="font-semibold" for="client-manager">{move || t().responsible_manager}</label>
            <p class="text-slate-600">{name}</p>
            <select id="client-manager" class=INPUT_CLASS data-testid="client-manager-select"
                on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                <option value="0" selected=move || chosen.get() == 0>{move || t().no_manager}</option>
                {options}
            </select>
            <p role="alert" class="text-sm text-red-700" data-testid="client-manager-error">{move || error.get()}</p>
            {move || done.get().then(|| view! { <p class="text-sm text-emerald-800" data-testid="client-manager-saved">{move || t().assigned}</p> })}
            <button type="button" class=format!("{BUTTON_CLASS} mt-2 w-full") data-testid="client-manager-send" on:click=send
                disabled=move || pending.get() || chosen.get() == saved.get()>
                {move || t().assign}
            </button>
        </section>
    }
}
