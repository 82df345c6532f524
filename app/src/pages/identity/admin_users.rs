use domain::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::identity::{AdminCreateUser, AdminResetPassword, admin_list_organisations, admin_list_users};
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::{Cabinet, ErrorText, Field};
use crate::error::AppError;
use crate::i18n::{org_kind_name, role_name, t, use_locale};
use crate::model::{CurrentUser, LinkRecorded, OrganisationSummary, UserSummary};
use crate::pages::{action_error, field_message, form_message};

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    view! { <Cabinet page=|_: CurrentUser| view! { <UsersPage/> }/> }
}

/// Users and organisations are read on the server and handed to the island.
#[component]
fn UsersPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(
        || (),
        |_| async { Ok::<_, AppError>((admin_list_users().await?, admin_list_organisations().await?)) },
    );
    view! {
        <h1 class="text-2xl font-bold">{move || crate::i18n::identity::t().users_title}</h1>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((users, organisations)) => view! { <Users users organisations/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="py-3 text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

const CARD: &str = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:p-6";

#[island(lazy)]
fn Users(users: Vec<UserSummary>, organisations: Vec<OrganisationSummary>) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let create = ServerAction::<AdminCreateUser>::new();
    let reset = ServerAction::<AdminResetPassword>::new();
    let users = RwSignal::new(users);
    // A created user joins the list: it is read again.
    Effect::new(move |first: Option<()>| {
        create.version().track();
        if first.is_some() {
            leptos::task::spawn_local(async move {
                if let Ok(list) = admin_list_users().await {
                    users.set(list);
                }
            });
        }
    });
    let err = action_error(create);
    let recorded = move |r: Option<Result<LinkRecorded, crate::error::AppError>>| match r {
        Some(Ok(l)) => Some(format!("{} {}", crate::i18n::identity::t().link_recorded, l.recipient)),
        Some(Err(e)) => Some(e.message(locale.get())),
        None => None,
    };
    view! {
        <section class=format!("{CARD} mt-4")>
            <h2 class="mb-3 text-lg font-semibold">{move || crate::i18n::identity::t().new_user_title}</h2>
            <ActionForm action=create attr:class="grid gap-4 md:grid-cols-2" attr:novalidate=true>
                <label class="space-y-1">
                    <span class="block text-sm font-medium text-slate-700">{move || crate::i18n::identity::t().organisation_select}</span>
                    <select name="organisation" class=INPUT_CLASS data-testid="new-user-organisation">
                        {organisations.into_iter().map(|o| view! {
                            <option value=o.id>{format!("{} — {}", o.name, org_kind_name(locale.get_untracked(), o.kind))}</option>
                        }).collect_view()}
                    </select>
                    <p class="text-sm text-red-700">{move || field_message(err, locale, "organisation").get()}</p>
                </label>
                <label class="space-y-1">
                    <span class="block text-sm font-medium text-slate-700">{move || crate::i18n::identity::t().role_select}</span>
                    <select name="role" class=INPUT_CLASS data-testid="new-user-role">
                        // Retail buyers register themselves with their phone.
                        {Role::ALL.into_iter().filter(|r| *r != Role::RetailBuyer).map(|r| view! {
                            <option value=r.code()>{move || role_name(locale.get(), r)}</option>
                        }).collect_view()}
                    </select>
                    <p class="text-sm text-red-700">{move || field_message(err, locale, "role").get()}</p>
                </label>
                <Field label=|t| t.name_label name="name" testid="new-user-name" error=field_message(err, locale, "name")/>
                <Field label=|_| crate::i18n::identity::t().email_label name="email" kind="email" testid="new-user-email" error=field_message(err, locale, "email")/>
                <Field label=|t| t.phone_label name="phone" kind="tel" testid="new-user-phone" error=field_message(err, locale, "phone")/>
                <div class="flex items-end">
                    <button type="submit" data-testid="new-user-submit" class=BUTTON_CLASS>{move || crate::i18n::identity::t().create_user_button}</button>
                </div>
                <div class="md:col-span-2">
                    <ErrorText message=Signal::derive(move || form_message(err(), locale.get(), &["organisation", "role", "name", "email", "phone"]))/>
                    <Show when=move || create.value().with(|v| matches!(v, Some(Ok(_))))>
                        <p role="status" data-testid="new-user-done" class="text-sm text-emerald-700">{move || recorded(create.value().get())}</p>
                    </Show>
                </div>
            </ActionForm>
        </section>
        <section class=format!("{CARD} mt-4")>
            <Show when=move || reset.value().with(Option::is_some)>
                <p role="status" data-testid="reset-done" class="mb-3 text-sm text-emerald-700">{move || recorded(reset.value().get())}</p>
            </Show>
                <ul class="divide-y divide-slate-100" data-testid="users">
                    {move || {
                            users.get().into_iter().map(|u| view! {
                                <li class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                                    <div class="min-w-0">
                                        <p class="font-medium">{u.name.clone()}</p>
                                        <p class="text-sm text-slate-600">
                                            {move || role_name(locale.get(), u.role)} " · " {u.organisation.clone()}
                                        </p>
                                        <p class="text-sm text-slate-500">
                                            {u.email.clone().unwrap_or_default()} " "
                                            {u.phone.as_deref().map(|p| domain::Phone::parse(p).map(|p| p.display()).unwrap_or_else(|_| p.to_string()))}
                                            {(!u.has_password).then(|| view! { <span class="ml-2 text-amber-700">{move || crate::i18n::identity::t().no_password_yet}</span> })}
                                            {(!u.active).then(|| view! { <span class="ml-2 text-red-700">{move || crate::i18n::identity::t().inactive}</span> })}
                                        </p>
                                    </div>
                                    <ActionForm action=reset>
                                        <input type="hidden" name="user_id" value=u.id/>
                                        <button type="submit" class=SECONDARY_BUTTON_CLASS data-testid=format!("reset-{}", u.id)>
                                            {move || crate::i18n::identity::t().reset_password_button}
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()
                    }}
                </ul>
        </section>
    }
}
