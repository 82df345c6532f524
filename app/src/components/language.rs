use domain::Locale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{t, use_locale};

/// RU / EN buttons: a plain form post to `/locale`, which remembers the choice (cookie, and the
/// account when signed in) and sends the browser back to the same page in the chosen language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale().get_untracked();
    let location = use_location();
    let back = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
    let button = move |l: Locale, label: &'static str| {
        view! {
            <button
                type="submit"
                name="lang"
                value=l.code()
                data-testid=format!("lang-{}", l.code())
                aria-pressed=(locale == l).to_string()
                class="min-h-11 min-w-11 rounded-md px-2 text-sm font-semibold aria-[pressed=true]:bg-sky-700 aria-[pressed=true]:text-white"
            >
                {label}
            </button>
        }
    };
    view! {
        <form method="post" action="/locale" class="flex items-center gap-1" aria-label=move || t().language>
            <input type="hidden" name="back" value=back/>
            {button(Locale::Ru, "RU")}
            {button(Locale::En, "EN")}
        </form>
    }
}
