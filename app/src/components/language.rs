use domain::Locale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{t, use_locale};

/// RU / EN buttons. A plain form post without JavaScript; instant after hydration.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.search.get());
    let choose = move |ev: leptos::ev::MouseEvent, chosen: Locale| {
        ev.prevent_default();
        locale.set(chosen);
        // Remember the choice at once, so a reload right after the click keeps it; the server
        // function then stores it on the account.
        remember_in_cookie(chosen);
        leptos::task::spawn_local(async move {
            let _ = crate::api::auth::set_locale(chosen).await;
        });
    };
    let button = move |l: Locale, label: &'static str| {
        view! {
            <button
                type="submit"
                name="lang"
                value=l.code()
                data-testid=format!("lang-{}", l.code())
                aria-pressed=move || (locale.get() == l).to_string()
                class="min-h-11 min-w-11 rounded-md px-2 text-sm font-semibold aria-[pressed=true]:bg-sky-700 aria-[pressed=true]:text-white"
                on:click=move |ev| choose(ev, l)
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

fn remember_in_cookie(locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let cookie = format!("kabinet_lang={}; Path=/; Max-Age=31536000; SameSite=Lax", locale.code());
            let _ = doc.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = locale;
}
