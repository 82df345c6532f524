use leptos::prelude::*;

use crate::i18n::Texts;

pub const INPUT_CLASS: &str = "block w-full min-h-11 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base \
     focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid=true]:border-red-500";
pub const BUTTON_CLASS: &str = "inline-flex min-h-11 items-center justify-center rounded-lg bg-sky-700 px-4 py-2 \
     font-semibold text-white hover:bg-sky-800 disabled:opacity-60";
pub const SECONDARY_BUTTON_CLASS: &str = "inline-flex min-h-11 items-center justify-center rounded-lg border \
     border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100";

/// A labelled input with its error message right under it.
#[component]
pub fn Field(
    /// Picks the label from the texts of the current language.
    label: fn(&Texts) -> &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The keyboard a phone shows (`numeric` for codes).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] hint: Option<fn(&Texts) -> &'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] node_ref: Option<NodeRef<leptos::html::Input>>,
    /// The localized error for this field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let error_id = format!("{id}-error");
    let node_ref = node_ref.unwrap_or_default();
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700">
                {move || label(crate::i18n::t())}
            </label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                data-testid=testid
                node_ref=node_ref
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id.clone()
                class=INPUT_CLASS
            />
            {hint.map(|h| view! { <p class="text-xs text-slate-500">{move || h(crate::i18n::t())}</p> })}
            <p id=error_id class="text-sm text-red-700" data-testid=testid.map(|t| format!("{t}-error"))>
                {move || error.get()}
            </p>
        </div>
    }
}

/// A form-level message (wrong password, too many attempts, connection lost).
#[component]
pub fn ErrorText(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p role="alert" data-testid=testid class="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                {move || message.get()}
            </p>
        </Show>
    }
}
