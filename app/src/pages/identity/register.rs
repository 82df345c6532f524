use domain::{Password, PersonName, Phone};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::login::error_from_query;
use crate::components::{ErrorText, Field, GuestFrame, form::BUTTON_CLASS};
use crate::error::{AppError, FieldError};
use crate::i18n::{t, use_locale};
use crate::model::CodeSent;
use crate::pages::{field_message, form_message, submit_then_go};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let q = use_query_map().get_untracked();
    // After "get a code" without JavaScript (`/auth/phone-code`), the form comes back with this.
    let sent = q.get("sent").map(|phone| CodeSent {
        phone,
        minutes: q.get("minutes").and_then(|m| m.parse().ok()).unwrap_or(crate::model::CODE_MINUTES),
        sandbox_code: q.get("sandbox").filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())),
    });
    view! {
        <GuestFrame>
            <h1 class="mb-4 text-xl font-bold">{move || crate::i18n::identity::t().register_title}</h1>
            <RegisterForm error=error_from_query(&q) name=q.get("name").unwrap_or_default()
                phone=q.get("phone").unwrap_or_default() sent=sent/>
            <p class="mt-6 text-sm text-slate-600">
                {move || crate::i18n::identity::t().have_account} " "
                <a href="/login" class="font-medium text-sky-700 underline">{move || t().sign_in_button}</a>
            </p>
        </GuestFrame>
    }
}

/// The person confirms their phone with a code sent by SMS ("get a code"), then registers.
/// Checked in the browser by the domain's rules first; without JavaScript the buttons post to
/// `/auth/phone-code` and `/auth/register`.
#[island(lazy)]
fn RegisterForm(error: Option<AppError>, name: String, phone: String, sent: Option<CodeSent>) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let error = RwSignal::new(error);
    let pending = RwSignal::new(false);
    let sent = RwSignal::new(sent);
    let sending = RwSignal::new(false);
    let (name_ref, phone_ref, code_ref, pw_ref) = (NodeRef::new(), NodeRef::new(), NodeRef::new(), NodeRef::new());
    let value = |r: NodeRef<leptos::html::Input>| r.get().map(|e| e.value()).unwrap_or_default();

    let on_send = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let phone = value(phone_ref);
        if let Err(e) = Phone::parse(&phone) {
            error.set(Some(AppError::Validation(vec![FieldError::from_domain("phone", &e)])));
            return;
        }
        send_code(phone, sent, error, sending);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (name, phone, code, password) = (value(name_ref), value(phone_ref), value(code_ref), value(pw_ref));
        // The same rules the server applies, checked here at once.
        let mut problems = Vec::new();
        if let Err(e) = PersonName::parse(&name) {
            problems.push(FieldError::from_domain("name", &e));
        }
        if let Err(e) = Phone::parse(&phone) {
            problems.push(FieldError::from_domain("phone", &e));
        }
        if code.trim().is_empty() {
            problems.push(FieldError::new("code", "code.missing"));
        }
        if let Err(e) = Password::parse(&password) {
            problems.push(FieldError::from_domain("password", &e));
        }
        if !problems.is_empty() {
            error.set(Some(AppError::Validation(problems)));
            return;
        }
        submit_then_go(crate::api::identity::register(name, phone, code, password), None, error, pending);
    };

    let err = move || error.get();
    view! {
            <form method="post" action="/auth/register" class="space-y-4" on:submit=on_submit novalidate>
                <Field label=|t| t.name_label name="name" testid="register-name" autocomplete="name"
                    value=name node_ref=name_ref error=field_message(err, locale, "name")/>
                <Field label=|t| t.phone_label name="phone" kind="tel" testid="register-phone" autocomplete="tel"
                    value=phone node_ref=phone_ref error=field_message(err, locale, "phone")/>
                <SendCodeButton sent=sent sending=sending on_click=on_send formaction="/auth/phone-code" testid="register-send-code"/>
                <CodeSentNotice sent=sent/>
                <Field label=|_| crate::i18n::identity::t().code_label name="code" kind="text" testid="register-code"
                    autocomplete="one-time-code" inputmode="numeric" node_ref=code_ref error=field_message(err, locale, "code")/>
                <Field label=|_| crate::i18n::identity::t().password_label name="password" kind="password" testid="register-password"
                    autocomplete="new-password" hint=|_| crate::i18n::identity::t().password_hint node_ref=pw_ref
                    error=field_message(err, locale, "password")/>
                <ErrorText testid="register-error"
                    message=Signal::derive(move || form_message(error.get(), locale.get(), &["name", "phone", "code", "password"]))/>
                <button type="submit" data-testid="register-submit" class=format!("{BUTTON_CLASS} w-full") disabled=move || pending.get()>
                    {move || crate::i18n::identity::t().register_button}
                </button>
            </form>
    }
}

/// Asks the server to send a code to `phone`; the answer (or the error, on the `phone` field)
/// goes into the signals.
pub(crate) fn send_code(
    phone: String,
    sent: RwSignal<Option<CodeSent>>,
    error: RwSignal<Option<AppError>>,
    sending: RwSignal<bool>,
) {
    if sending.get_untracked() {
        return;
    }
    sending.set(true);
    leptos::task::spawn_local(async move {
        match crate::api::identity::send_phone_code(phone).await {
            Ok(answer) => {
                error.set(None);
                sent.set(Some(answer));
            }
            Err(e) => error.set(Some(e)),
        }
        sending.set(false);
    });
}

/// "Get a code" (then "send it again"). Without JavaScript it submits its form to `formaction`.
#[component]
pub(crate) fn SendCodeButton(
    sent: RwSignal<Option<CodeSent>>,
    sending: RwSignal<bool>,
    on_click: impl FnMut(leptos::ev::MouseEvent) + 'static,
    #[prop(optional)] formaction: Option<&'static str>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" formaction=formaction formnovalidate=true on:click=on_click data-testid=testid
            disabled=move || sending.get()
            class="min-h-11 rounded-lg border border-sky-700 px-4 text-sm font-medium text-sky-800 hover:bg-sky-50">
            {move || {
                let t = crate::i18n::identity::t();
                if sending.get() { t.sending_code } else if sent.with(Option::is_some) { t.resend_code_button } else { t.send_code_button }
            }}
        </button>
    }
}

/// Where the code went and for how long it works; with the sandbox gateway, the code itself.
#[component]
pub(crate) fn CodeSentNotice(sent: RwSignal<Option<CodeSent>>) -> impl IntoView {
    move || {
        sent.get().map(|s| {
            let t = crate::i18n::identity::t();
            view! {
                <div role="status" class="rounded-lg border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900" data-testid="code-sent">
                    <p>{format!("{} {}. {} {}.", t.code_sent, s.phone, t.code_valid_for, s.minutes)}</p>
                    {s.sandbox_code.map(|code| view! {
                        <p class="mt-1 font-medium">{t.sandbox_code} " " <span data-testid="sandbox-code">{code}</span></p>
                    })}
                </div>
            }
        })
    }
}
