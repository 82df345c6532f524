use domain::{Locale, LoginId};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{ErrorText, Field, GuestFrame, form::BUTTON_CLASS};
use crate::error::{AppError, FieldError};
use crate::i18n::{t, use_locale};
use crate::pages::{field_message, form_message, safe_next, submit_then_go};

/// An error carried in the query string by the plain form post (no JavaScript).
pub(crate) fn error_from_query(query: &leptos_router::params::ParamsMap) -> Option<AppError> {
    if let Some(seconds) = query.get("wait").and_then(|s| s.parse().ok()) {
        return Some(AppError::TooManyAttempts { seconds });
    }
    let fields: Vec<FieldError> = query
        .get_all("error")
        .unwrap_or_default()
        .iter()
        .filter_map(|pair| pair.split_once(':'))
        .map(|(field, code)| FieldError::new(field, code))
        .collect();
    (!fields.is_empty()).then_some(AppError::Validation(fields))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let q = use_query_map().get_untracked();
    let notice = q.get("notice");
    view! {
        <GuestFrame>
            <h1 class="mb-4 text-xl font-bold">{move || crate::i18n::identity::t().sign_in_title}</h1>
            {notice.map(|n| view! {
                <p role="status" data-testid="login-notice" class="mb-4 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
                    {move || notice_text(locale.get(), &n)}
                </p>
            })}
            <LoginForm error=error_from_query(&q) identifier=q.get("identifier").unwrap_or_default() next=safe_next(q.get("next"))/>
            <p class="mt-6 text-sm text-slate-600">
                {move || crate::i18n::identity::t().no_account} " "
                <a href="/register" data-testid="register-link" class="font-medium text-sky-700 underline">{move || crate::i18n::identity::t().register_link}</a>
            </p>
        </GuestFrame>
    }
}

/// Checked in the browser first; without JavaScript the same form posts to `/auth/login`.
#[island(lazy)]
fn LoginForm(error: Option<AppError>, identifier: String, next: Option<String>) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let error = RwSignal::new(error);
    let pending = RwSignal::new(false);
    let id_ref = NodeRef::<leptos::html::Input>::new();
    let pw_ref = NodeRef::<leptos::html::Input>::new();

    let next_after = next.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = id_ref.get().map(|e| e.value()).unwrap_or_default();
        let pw = pw_ref.get().map(|e| e.value()).unwrap_or_default();
        if let Err(e) = LoginId::parse(&id) {
            error.set(Some(AppError::Validation(vec![FieldError::from_domain("identifier", &e)])));
            return;
        }
        if pw.is_empty() {
            error.set(Some(AppError::field("password", "password.empty")));
            return;
        }
        submit_then_go(crate::api::identity::sign_in(id, pw), next_after.clone(), error, pending);
    };

    let err = move || error.get();
    view! {
            <form method="post" action="/auth/login" class="space-y-4" on:submit=on_submit novalidate>
                <input type="hidden" name="next" value=next/>
                <Field
                    label=|_| crate::i18n::identity::t().identifier_label
                    name="identifier"
                    testid="login-identifier"
                    autocomplete="username"
                    hint=|_| crate::i18n::identity::t().identifier_hint
                    value=identifier
                    node_ref=id_ref
                    error=field_message(err, locale, "identifier")
                />
                <Field
                    label=|_| crate::i18n::identity::t().password_label
                    name="password"
                    kind="password"
                    testid="login-password"
                    autocomplete="current-password"
                    node_ref=pw_ref
                    error=field_message(err, locale, "password")
                />
                <ErrorText
                    testid="login-error"
                    message=Signal::derive(move || form_message(error.get(), locale.get(), &["identifier", "password"]))
                />
                <button type="submit" data-testid="login-submit" class=format!("{BUTTON_CLASS} w-full") disabled=move || pending.get()>
                    {move || if pending.get() { crate::i18n::identity::t().signing_in } else { t().sign_in_button }}
                </button>
            </form>
    }
}

fn notice_text(locale: Locale, code: &str) -> &'static str {
    let t = crate::i18n::identity::texts(locale);
    match code {
        "password_set" => t.password_set,
        _ => "",
    }
}
