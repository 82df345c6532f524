//! Cart area: quick order — pasted `article quantity` lines or an uploaded .xlsx/.csv go into the
//! cart; what could not be read is listed by line.

use leptos::prelude::*;

use crate::api::cart::QuickOrder;
use crate::components::Cabinet;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS};
use crate::error::AppError;
use crate::i18n::{code_message, t, use_locale};
use crate::model::{CurrentUser, QuickOrderResult};

#[component]
pub fn QuickOrderPage() -> impl IntoView {
    view! { <Cabinet page=quick_order/> }
}

fn quick_order(_user: CurrentUser) -> impl IntoView {
    view! { <QuickOrderForm/> }
}

/// Pasted lines or an uploaded file; the answer lists what went into the cart and what did not.
#[island(lazy)]
fn QuickOrderForm() -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let action = ServerAction::<QuickOrder>::new();
    // The answer to the last submission, pasted lines or an uploaded file alike.
    let result = RwSignal::new(None::<Result<QuickOrderResult, AppError>>);
    Effect::new(move || {
        if let Some(r) = action.value().get() {
            result.set(Some(r));
        }
    });
    let uploading = RwSignal::new(false);
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else { return };
            uploading.set(true);
            leptos::task::spawn_local(async move {
                result.set(Some(crate::api::cart::quick_order_file(data.into()).await));
                uploading.set(false);
            });
        }
    };
    let file_error = move || match result.get() {
        Some(Err(e)) => e.field_code("file").map(|code| code_message(locale.get(), code)),
        _ => None,
    };
    view! {
        <h1 class="mb-3 text-2xl font-bold">{move || crate::i18n::cart::t().quick_order_title}</h1>
        <p class="mb-3 text-sm text-slate-600">{move || crate::i18n::cart::t().quick_order_hint}</p>
        <leptos::form::ActionForm action=action attr:class="space-y-3" attr:novalidate=true>
            <label class="block text-sm font-medium" for="lines">{move || crate::i18n::cart::t().quick_order_lines}</label>
            <textarea id="lines" name="lines" rows="8" class=format!("{INPUT_CLASS} font-mono") data-testid="quick-lines"
                placeholder="BLR-000001 2\nPIP-000005 12,5"></textarea>
            <button type="submit" class=BUTTON_CLASS data-testid="quick-submit" disabled=move || action.pending().get()>{move || crate::i18n::cart::t().quick_order_submit}</button>
        </leptos::form::ActionForm>
        <form class="mt-5 space-y-2 border-t border-slate-200 pt-4" on:submit=upload data-testid="quick-upload">
            <label class="block text-sm font-medium" for="quick-file">{move || crate::i18n::cart::t().quick_order_file}</label>
            <input id="quick-file" name="file" type="file" required
                accept=".xlsx,.csv,.txt,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                aria-describedby="quick-file-error" data-testid="quick-file" class="block text-sm"/>
            <p id="quick-file-error" role="alert" class="text-sm text-red-700" data-testid="quick-file-error">{file_error}</p>
            <button type="submit" class=BUTTON_CLASS data-testid="quick-upload-submit" disabled=move || uploading.get()>{move || crate::i18n::cart::t().quick_order_upload}</button>
        </form>
        {move || result.get().map(|r| match r {
            Ok(result) => view! {
                <section class="mt-4 space-y-3" data-testid="quick-result">
                    <p class="rounded-lg border border-green-200 bg-green-50 px-3 py-2 text-green-900" data-testid="quick-added">
                        {move || crate::i18n::cart::t().quick_order_added} ": " {result.added.len()}
                        " · " <a href="/cart" class="font-semibold underline">{move || t().nav_cart}</a>
                    </p>
                    {(!result.rejected.is_empty()).then(|| view! {
                        <div class="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid="quick-rejected">
                            <p class="font-semibold">{move || crate::i18n::cart::t().quick_order_rejected}</p>
                            <ul class="mt-1 space-y-1">
                                {result.rejected.iter().map(|r| {
                                    let (line, text, code) = (r.line, r.text.clone(), r.code.clone());
                                    view! { <li data-testid="rejected-line">{move || crate::i18n::cart::t().line} " " {line} ": " <code>{text.clone()}</code> " — " {move || code_message(locale.get(), &code)}</li> }
                                }).collect_view()}
                            </ul>
                        </div>
                    })}
                </section>
            }.into_any(),
            Err(e) if e.field_code("file").is_some() => ().into_any(),
            Err(e) => view! { <p role="alert" class="mt-3 text-red-700">{e.message(locale.get())}</p> }.into_any(),
        })}
    }
}
