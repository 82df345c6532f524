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
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
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
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App/>
                <script>
                    "if ('serviceWorker' in navigator) { navigator.serviceWorker.register('/sw.js'); }"
                </script>
            </body>
        </html>
    }
}

/// The language the server chose for this request; in the browser, the one the page was rendered in.
fn initial_locale() -> Locale {
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
    let user: UserResource = Resource::new(|| (), |_| api::auth::get_current_user());
    provide_context(user);
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.get().code());
        }
    });

    // Pages are rendered whole before they are sent (SsrMode::Async): they must read right without
    // JavaScript, and out-of-order streaming needs JavaScript to put the pieces in place.
    view! {
        <Stylesheet id="leptos" href="/pkg/kabinet.css"/>
        // leptos_meta renders the title outside this component's owner: read the signal, not the context.
        <Title text=move || i18n::texts(locale.get()).app_name/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view={Lazy::<routes::LoginPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/register") view={Lazy::<routes::RegisterPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/password/:token") view={Lazy::<routes::SetPasswordPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/home") view={Lazy::<routes::HomePage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/profile") view={Lazy::<routes::ProfilePage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/admin/users") view={Lazy::<routes::AdminUsersPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/catalog") view={Lazy::<routes::CatalogPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/catalog/:id") view={Lazy::<routes::ProductPageView>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/cart") view={Lazy::<routes::CartPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/orders") view={Lazy::<routes::OrdersPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/orders/:id") view={Lazy::<routes::OrderPage>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/quick-order") view={Lazy::<routes::QuickOrderPage>::new()} ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_lazy`, plus a mark once the page's own piece has been fetched and hydrated: browser
    // tests wait for it instead of sleeping (input and clicks before it would be lost). An effect in
    // `App` would run too early, while the route's piece is still downloading.
    wasm_bindgen_futures::spawn_local(async {
        let body = document().body().expect("the page has a body");
        let app = leptos::mount::hydrate_from_async(body.clone(), App).await;
        app.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

/// Every page is its own piece of the browser's wasm (`cargo leptos build --split`): a phone
/// opening the catalog downloads the shell and the catalog, not the cart, orders or admin.
mod routes {
    use leptos::prelude::*;
    use leptos_router::{LazyRoute, lazy_route};

    macro_rules! lazy_pages {
        ($($page:ident),* $(,)?) => {$(
            pub struct $page;

            #[lazy_route]
            impl LazyRoute for $page {
                fn data() -> Self {
                    Self
                }

                fn view(_this: Self) -> AnyView {
                    view! { <crate::pages::$page/> }.into_any()
                }
            }
        )*};
    }

    lazy_pages!(LoginPage);
    lazy_pages!(RegisterPage);
    lazy_pages!(SetPasswordPage);
    lazy_pages!(HomePage);
    lazy_pages!(ProfilePage);
    lazy_pages!(AdminUsersPage);
    lazy_pages!(CatalogPage);
    lazy_pages!(ProductPageView);
    lazy_pages!(CartPage);
    lazy_pages!(OrdersPage);
    lazy_pages!(OrderPage);
    lazy_pages!(QuickOrderPage);
}
