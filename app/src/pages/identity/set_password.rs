use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::identity::SetPasswordWithToken;
use crate::components::{ErrorText, Field, GuestFrame, form::BUTTON_CLASS};
use crate::i18n::{t, use_locale};
use crate::pages::{action_error, field_message, form_message};

/// Where an invited person, or one whose password was reset, chooses a password.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let token = use_params_map().get_untracked().get("token").unwrap_or_default();
    view! {
        <GuestFrame>
            <h1 class="mb-4 text-xl font-bold">{move || crate::i18n::identity::t().set_password_title}</h1>
            <SetPasswordForm token/>
        </GuestFrame>
    }
}

#[island(lazy)]
fn SetPasswordForm(token: String) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let action = ServerAction::<SetPasswordWithToken>::new();
    let err = action_error(action);
    let done = move || action.value().with(|v| matches!(v, Some(Ok(()))));
    view! {
            <Show
                when=done
                fallback=move || {
                    let token = token.clone();
                    view! {
                        <ActionForm action=action attr:class="space-y-4" attr:novalidate=true>
                            <input type="hidden" name="token" value=token/>
                            <Field label=|_| crate::i18n::identity::t().new_password name="password" kind="password" testid="set-password"
                                autocomplete="new-password" hint=|_| crate::i18n::identity::t().password_hint error=field_message(err, locale, "password")/>
                            <Field label=|_| crate::i18n::identity::t().confirm_password name="confirm" kind="password" testid="set-password-confirm"
                                autocomplete="new-password" error=field_message(err, locale, "confirm")/>
                            <ErrorText message=Signal::derive(move || form_message(err(), locale.get(), &["password", "confirm"]))/>
                            <button type="submit" data-testid="set-password-submit" class=format!("{BUTTON_CLASS} w-full")>
                                {move || crate::i18n::identity::t().set_password_button}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p role="status" data-testid="set-password-done" class="mb-4 text-emerald-800">{move || crate::i18n::identity::t().password_set}</p>
                <a href="/login" class=BUTTON_CLASS>{move || t().sign_in_button}</a>
            </Show>
    }
}
