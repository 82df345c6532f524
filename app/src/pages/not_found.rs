use leptos::prelude::*;

use crate::components::GuestFrame;
use crate::i18n::t;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <GuestFrame>
            <h1 class="text-xl font-bold">{move || t().not_found_title}</h1>
            <a href="/home" class="mt-4 inline-block text-sky-700 underline">{move || t().to_home}</a>
        </GuestFrame>
    }
}
