use domain::{Password, PersonName, Phone};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::login::error_from_query;
use crate::components::{ErrorText, Field, GuestFrame, form::BUTTON_CLASS};
use crate::error::{AppError, FieldError};
use crate::i18n::{t, use_locale};
use crate::pages::{field_message, form_message, submit_then_go};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let q = use_query_map().get_untracked();
    view! {
        <GuestFrame>
            <h1 class="mb-4 text-xl font-bold">{move || crate::i18n::identity::t().register_title}</h1>
            <RegisterForm error=error_from_query(&q) name=q.get("name").unwrap_or_default() phone=q.get("phone").unwrap_or_default()/>
            <p class="mt-6 text-sm text-slate-600">
                {move || crate::i18n::identity::t().have_account} " "
                <a href="/login" class="font-medium text-sky-700 underline">{move || t().sign_in_button}</a>
            </p>
        </GuestFrame>
    }
}

/// Checked in the browser by the domain's rules first; without JavaScript it posts to `/auth/register`.
#[island(lazy)]
fn RegisterForm(error: Option<AppError>, name: String, phone: String) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let error = RwSignal::new(error);
    let pending = RwSignal::new(false);
    let (name_ref, phone_ref, pw_ref) = (NodeRef::new(), NodeRef::new(), NodeRef::new());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |r: NodeRef<leptos::html::Input>| r.get().map(|e| e.value()).unwrap_or_default();
        let (name, phone, password) = (value(name_ref), value(phone_ref), value(pw_ref));
        // The same rules the server applies, checked here at once.
        let mut problems = Vec::new();
        if let Err(e) = PersonName::parse(&name) {
            problems.push(FieldError::from_domain("name", &e));
        }
        if let Err(e) = Phone::parse(&phone) {
            problems.push(FieldError::from_domain("phone", &e));
        }
        if let Err(e) = Password::parse(&password) {
            problems.push(FieldError::from_domain("password", &e));
        }
        if !problems.is_empty() {
            error.set(Some(AppError::Validation(problems)));
            return;
        }
        submit_then_go(crate::api::identity::register(name, phone, password), None, error, pending);
    };

    let err = move || error.get();
    view! {
            <form method="post" action="/auth/register" class="space-y-4" on:submit=on_submit novalidate>
                <Field label=|t| t.name_label name="name" testid="register-name" autocomplete="name"
                    value=name node_ref=name_ref error=field_message(err, locale, "name")/>
                <Field label=|t| t.phone_label name="phone" kind="tel" testid="register-phone" autocomplete="tel"
                    value=phone node_ref=phone_ref error=field_message(err, locale, "phone")/>
                <Field label=|_| crate::i18n::identity::t().password_label name="password" kind="password" testid="register-password"
                    autocomplete="new-password" hint=|_| crate::i18n::identity::t().password_hint node_ref=pw_ref
                    error=field_message(err, locale, "password")/>
                <ErrorText testid="register-error"
                    message=Signal::derive(move || form_message(error.get(), locale.get(), &["name", "phone", "password"]))/>
                <button type="submit" data-testid="register-submit" class=format!("{BUTTON_CLASS} w-full") disabled=move || pending.get()>
                    {move || crate::i18n::identity::t().register_button}
                </button>
            </form>
    }
}
