use leptos::prelude::*;

use crate::components::{Cabinet, Icon, sections};
use crate::i18n::{org_kind_name, role_name, t, use_locale};
use crate::model::CurrentUser;

#[component]
pub fn HomePage() -> impl IntoView {
    view! { <Cabinet page=home/> }
}

fn home(user: CurrentUser) -> impl IntoView {
    let locale = use_locale();
    let role = user.role;
    let kind = user.org_kind;
    let row = |label: fn(&crate::i18n::Texts) -> &'static str, value: String, testid: &'static str| {
        view! {
            <div class="flex flex-col gap-0.5 py-2 sm:flex-row sm:gap-4">
                <dt class="w-40 shrink-0 text-sm text-slate-500">{move || label(t())}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let cards = sections(role)
        .into_iter()
        .filter_map(|s| s.hint.map(|hint| (s, hint)))
        .map(|(s, hint)| {
            view! {
                <a href=s.path class="block min-h-11 rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-sky-400">
                    <p class="flex items-center gap-2 font-semibold text-sky-800"><Icon path=s.icon/>{move || (s.label)(t())}</p>
                    <p class="mt-1 text-sm text-slate-600">{move || hint(t())}</p>
                </a>
            }
        })
        .collect_view();
    view! {
        <h1 class="text-2xl font-bold" data-testid="home-title">
            {move || t().hello} ", " {user.name.clone()}
        </h1>
        <dl class="mt-4 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white px-4">
            <div class="flex flex-col gap-0.5 py-2 sm:flex-row sm:gap-4">
                <dt class="w-40 shrink-0 text-sm text-slate-500">{move || t().role_label}</dt>
                <dd data-testid="home-role">{move || role_name(locale.get(), role)}</dd>
            </div>
            <div class="flex flex-col gap-0.5 py-2 sm:flex-row sm:gap-4">
                <dt class="w-40 shrink-0 text-sm text-slate-500">{move || t().organisation_label}</dt>
                <dd data-testid="home-organisation">
                    {user.organisation.clone()}
                    <span class="text-slate-500">{move || format!(" · {}", org_kind_name(locale.get(), kind))}</span>
                </dd>
            </div>
            {user.region.clone().map(|r| row(|t| t.region_label, r, "home-region"))}
            {user.retail_point.clone().map(|p| row(|t| t.retail_point_label, p, "home-retail-point"))}
        </dl>
        <h2 class="mt-8 mb-3 text-lg font-semibold">{move || t().sections_title}</h2>
        <div class="grid gap-3 sm:grid-cols-2">{cards}</div>
    }
}
