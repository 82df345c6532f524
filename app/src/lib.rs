//! Kabinet's user interface and its server functions. Built twice: with `hydrate` into the
//! browser's wasm, with `ssr` into the server.
#![recursion_limit = "512"]

pub mod api;
pub mod components;
pub mod error;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
pub mod services;

use domain::Locale;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::model::CurrentUser;
use crate::pages::NotFoundPage;

/// The signed-in user (or `None`), loaded once per page load and shared by every page.
pub type UserResource = Resource<Result<Option<CurrentUser>, error::AppError>>;

/// The HTML document around the application, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = initial_locale();
    // The inline scripts (hydration, service worker) carry this answer's nonce, chosen by the
    // server's security headers, which allow only the inline scripts that carry it.
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#0f4c81"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" type="image/png" href="/icons/icon-192.png"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App/>
                <script nonce=nonce>
                    "if ('serviceWorker' in navigator) { navigator.serviceWorker.register('/sw.js'); }"
                </script>
            </body>
        </html>
    }
}

/// The Content-Security-Policy of every answer: scripts and styles only from this site and the
/// inline ones it names (`inline`: `'nonce-…'` sources), wasm compiled by the
/// browser, inline `style` attributes (they cannot run code), no framing, no plugins, forms posted
/// only here.
pub fn content_security_policy(inline: &str) -> String {
    let inline = if inline.is_empty() { String::new() } else { format!(" {inline}") };
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self'{inline}; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    )
}

/// The language the server chose for this request; in the browser, the one the page was rendered in.
pub(crate) fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        services::context::request_info().locale
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Locale::parse(&l))
            .unwrap_or_default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = RwSignal::new(initial_locale());
    provide_context(locale);
    let user: UserResource = Resource::new(|| (), |_| api::identity::current_user());
    provide_context(user);

    // Pages are rendered whole on the server (SsrMode::Async): they read right without JavaScript.
    // Only the interactive parts (`#[island]`s) are code in the browser; see `hydrate`.
    view! {
        <Title text=i18n::texts(locale.get_untracked()).app_name/>
        <Meta name="description" content=i18n::texts(locale.get_untracked()).meta_description/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=pages::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/register") view=pages::RegisterPage ssr=SsrMode::Async/>
                <Route path=path!("/password/:token") view=pages::SetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/home") view=pages::HomePage ssr=SsrMode::Async/>
                <Route path=path!("/profile") view=pages::ProfilePage ssr=SsrMode::Async/>
                <Route path=path!("/admin/users") view=pages::AdminUsersPage ssr=SsrMode::Async/>
                <Route path=path!("/catalog") view=pages::CatalogPage ssr=SsrMode::Async/>
                <Route path=path!("/catalog/:id") view=pages::ProductPageView ssr=SsrMode::Async/>
                <Route path=path!("/cart") view=pages::CartPage ssr=SsrMode::Async/>
                <Route path=path!("/orders") view=pages::OrdersPage ssr=SsrMode::Async/>
                <Route path=path!("/orders/:id") view=pages::OrderPage ssr=SsrMode::Async/>
                <Route path=path!("/quick-order") view=pages::QuickOrderPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/orders") view=pages::StaffOrdersPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/orders/:id") view=pages::StaffOrderPage ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view=pages::NotificationsPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/notifications") view=pages::AdminNotificationsPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/notifications/:notice") view=pages::AdminTemplatePage ssr=SsrMode::Async/>
                <Route path=path!("/admin/outbox") view=pages::AdminOutboxPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/channels") view=pages::AdminChannelsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/payments") view=pages::PaymentChecksPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/tasks") view=pages::PaymentTasksPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// The browser's entry point. Kabinet is built in islands mode: the server renders every page and
/// only the interactive parts (`#[island]`: add to cart, live prices, the cart, forms) hydrate.
/// The catalog's islands are in the main wasm; every other island is `lazy`, a piece of its own
/// (`cargo leptos build --split`) fetched only by the pages that show it.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    components::island::expect_islands();
}
