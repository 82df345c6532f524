use domain::locale::moscow;
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::identity::SignOutEverywhere;
use crate::api::identity::{ChangePassword, RevokeSession, UpdateProfile, list_sessions};
use crate::components::form::{BUTTON_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::{Cabinet, ErrorText, Field, LanguageSwitch};
use crate::i18n::{t, use_locale};
use crate::model::{CurrentUser, SessionInfo};
use crate::pages::{action_error, field_message, form_message};

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! { <Cabinet page=profile/> }
}

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:p-6";

fn profile(user: CurrentUser) -> impl IntoView {
    // Only those who get notices about orders have channels to choose.
    let hears = crate::policy::BUYERS.contains(&user.role) || crate::policy::ORDER_STAFF.contains(&user.role);
    view! {
        <h1 class="text-2xl font-bold">{move || crate::i18n::identity::t().profile_title}</h1>
        <div class="mt-4 grid gap-4 lg:grid-cols-2">
            <Contacts user=user/>
            <PasswordChange/>
            <section class=CARD>
                <h2 class="mb-3 text-lg font-semibold">{move || t().language}</h2>
                <LanguageSwitch/>
            </section>
            <SessionsCard/>
            {hears.then(|| view! { <crate::pages::NotificationPreferences/> })}
        </div>
    }
}

#[island(lazy)]
fn Contacts(user: CurrentUser) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let action = ServerAction::<UpdateProfile>::new();
    let err = action_error(action);
    let saved = move || action.value().with(|v| matches!(v, Some(Ok(_))));
    // The header shows the new name at once, without reloading the whole cabinet.
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            crate::components::layout::show_user_name(&user.name);
        }
    });
    view! {
        <section class=CARD>
            <h2 class="mb-3 text-lg font-semibold">{move || crate::i18n::identity::t().contacts_title}</h2>
            <ActionForm action=action attr:class="space-y-4" attr:novalidate=true>
                <Field label=|t| t.name_label name="name" testid="profile-name" autocomplete="name"
                    value=user.name error=field_message(err, locale, "name")/>
                <Field label=|_| crate::i18n::identity::t().email_label name="email" kind="email" testid="profile-email" autocomplete="email"
                    value=user.email.unwrap_or_default() error=field_message(err, locale, "email")/>
                <Field label=|t| t.phone_label name="phone" kind="tel" testid="profile-phone" autocomplete="tel"
                    value=user.phone.map(|p| domain::Phone::parse(&p).map(|p| p.display()).unwrap_or(p)).unwrap_or_default()
                    error=field_message(err, locale, "phone")/>
                <ErrorText message=Signal::derive(move || form_message(err(), locale.get(), &["name", "email", "phone"]))/>
                <div class="flex items-center gap-3">
                    <button type="submit" data-testid="profile-save" class=BUTTON_CLASS>{move || t().save}</button>
                    <Show when=saved><span role="status" class="text-sm text-emerald-700">{move || t().saved}</span></Show>
                </div>
            </ActionForm>
        </section>
    }
}

#[island(lazy)]
fn PasswordChange() -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let action = ServerAction::<ChangePassword>::new();
    let err = action_error(action);
    let done = move || action.value().with(|v| matches!(v, Some(Ok(()))));
    view! {
        <section class=CARD>
            <h2 class="mb-3 text-lg font-semibold">{move || crate::i18n::identity::t().change_password_title}</h2>
            <ActionForm action=action attr:class="space-y-4" attr:novalidate=true>
                <Field label=|_| crate::i18n::identity::t().current_password name="current" kind="password" testid="password-current"
                    autocomplete="current-password" error=field_message(err, locale, "current")/>
                <Field label=|_| crate::i18n::identity::t().new_password name="new" kind="password" testid="password-new"
                    autocomplete="new-password" hint=|_| crate::i18n::identity::t().password_hint error=field_message(err, locale, "new")/>
                <Field label=|_| crate::i18n::identity::t().confirm_password name="confirm" kind="password" testid="password-confirm"
                    autocomplete="new-password" error=field_message(err, locale, "confirm")/>
                <ErrorText message=Signal::derive(move || form_message(err(), locale.get(), &["current", "new", "confirm"]))/>
                <button type="submit" data-testid="password-submit" class=BUTTON_CLASS>{move || crate::i18n::identity::t().change_password_button}</button>
                <Show when=done><p role="status" class="text-sm text-emerald-700">{move || crate::i18n::identity::t().password_changed}</p></Show>
            </ActionForm>
        </section>
    }
}

/// "Chrome · Android" from a user-agent string, enough for a person to recognise their device.
fn device_name(agent: &str) -> String {
    let has = |s: &str| agent.contains(s);
    let browser = if has("YaBrowser") {
        "Яндекс Браузер"
    } else if has("Edg/") {
        "Edge"
    } else if has("Firefox/") {
        "Firefox"
    } else if has("Chrome/") || has("Chromium/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        "?"
    };
    let system = if has("Android") {
        "Android"
    } else if has("iPhone") || has("iPad") {
        "iOS"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") {
        "macOS"
    } else if has("Linux") {
        "Linux"
    } else {
        "?"
    };
    format!("{browser} · {system}")
}

/// The signed-in devices, loaded on the server and handed to the island.
#[component]
fn SessionsCard() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| list_sessions());
    view! {
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move { view! { <Sessions initial=sessions.await.unwrap_or_default()/> } })}
        </Suspense>
    }
}

#[island(lazy)]
fn Sessions(initial: Vec<SessionInfo>) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let revoke = ServerAction::<RevokeSession>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let sessions = RwSignal::new(initial);
    // After a device is signed out, the list is read again.
    Effect::new(move |first: Option<()>| {
        revoke.version().track();
        if first.is_some() {
            leptos::task::spawn_local(async move {
                if let Ok(list) = list_sessions().await {
                    sessions.set(list);
                }
            });
        }
    });
    Effect::new(move |_| {
        if everywhere.value().with(|v| matches!(v, Some(Ok(_)))) {
            let _ = window().location().set_href("/login");
        }
    });
    let when = move |at: chrono::DateTime<chrono::Utc>| locale.get().format_datetime(at, moscow());
    view! {
        <section class=CARD>
            <h2 class="mb-3 text-lg font-semibold">{move || crate::i18n::identity::t().sessions_title}</h2>
                <ul class="divide-y divide-slate-100" data-testid="sessions">
                    {move || {
                        sessions.get().into_iter().map(|s| {
                            let agent = s.user_agent.clone().unwrap_or_default();
                            let device = device_name(&agent);
                            view! {
                                <li class="flex items-center justify-between gap-3 py-3">
                                    <div class="min-w-0 text-sm">
                                        <p class="truncate font-medium" title=agent>{device}</p>
                                        <p class="text-slate-500">
                                            {s.ip.clone().unwrap_or_default()} " · " {move || crate::i18n::identity::t().signed_in_at} " "
                                            {move || when(s.created_at)} " · " {move || crate::i18n::identity::t().last_seen} " " {move || when(s.last_seen_at)}
                                        </p>
                                        {s.current.then(|| view! { <p class="text-emerald-700">{move || crate::i18n::identity::t().this_device}</p> })}
                                    </div>
                                    {(!s.current).then(|| view! {
                                        <ActionForm action=revoke>
                                            <input type="hidden" name="id" value=s.id/>
                                            <button type="submit" class=SECONDARY_BUTTON_CLASS>{move || crate::i18n::identity::t().revoke}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
            <ActionForm action=everywhere attr:class="mt-4">
                <button type="submit" data-testid="sign-out-everywhere" class=SECONDARY_BUTTON_CLASS>
                    {move || crate::i18n::identity::t().sign_out_everywhere}
                </button>
            </ActionForm>
        </section>
    }
}
