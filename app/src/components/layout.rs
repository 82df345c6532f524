use domain::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::LanguageSwitch;
use crate::UserResource;
use crate::i18n::{Texts, role_name, t, use_locale};
use crate::model::CurrentUser;

/// A built section of the cabinet. Only built sections exist here, so none is ever a placeholder.
#[derive(Clone, Copy)]
pub struct Section {
    pub key: &'static str,
    pub path: &'static str,
    pub label: fn(&Texts) -> &'static str,
    pub hint: Option<fn(&Texts) -> &'static str>,
    /// SVG path data (24×24, stroked).
    pub icon: &'static str,
    /// Shown in the phone's bottom bar (five fit); the rest only in the sidebar and on the home page.
    pub phone: bool,
}

const ICON_HOME: &str = "M3 11l9-8 9 8M5 9.5V21h5v-6h4v6h5V9.5";
const ICON_USERS: &str = "M16 20v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M21 20v-1a4 4 0 0 0-3-3.87M15.5 4.13a3.5 3.5 0 0 1 0 6.74";
const ICON_CATALOG: &str = "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z";
const ICON_CART: &str =
    "M3 4h2l2.4 11h10.2L20 7H6.2M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2M17 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2";
const ICON_ORDERS: &str = "M8 4h8l1 2h3v15H4V6h3zM8 11h8M8 15h5";
const ICON_QUICK: &str = "M13 3L4 14h7l-1 7 9-11h-7z";
const ICON_MAIL: &str = "M4 5h16v14H4zM4 6l8 7 8-7";
const ICON_PAYMENTS: &str = "M3 6h18v12H3zM3 10h18M7 15h4";
const ICON_TASKS: &str = "M4 6h16M4 12h9M4 18h6M15 17l2 2 4-4";
const ICON_CHANNELS: &str = "M4 6h16M4 12h16M4 18h16M8 4v4M16 10v4M10 16v4";
const ICON_PROFILE: &str = "M20 21v-1a5 5 0 0 0-5-5H9a5 5 0 0 0-5 5v1M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8";

/// A section's icon, drawn with the current text colour.
#[component]
pub fn Icon(path: &'static str, #[prop(default = "h-6 w-6")] class: &'static str) -> impl IntoView {
    view! {
        <svg class=class viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
            stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d=path/>
        </svg>
    }
}

/// Every section of the cabinet, in navigation order. Which of them a person sees is not decided
/// here: [`sections`] keeps those whose page the policy table lets their role open.
fn all_sections() -> [Section; 12] {
    [
        Section { key: "home", path: "/home", label: |t| t.nav_home, hint: None, icon: ICON_HOME, phone: true },
        Section {
            key: "catalog",
            path: "/catalog",
            label: |t| t.nav_catalog,
            hint: Some(|t| t.home_catalog_hint),
            icon: ICON_CATALOG,
            phone: true,
        },
        Section {
            key: "cart",
            path: "/cart",
            label: |t| t.nav_cart,
            hint: Some(|t| t.home_cart_hint),
            icon: ICON_CART,
            phone: true,
        },
        Section {
            key: "orders",
            path: "/orders",
            label: |t| t.nav_orders,
            hint: Some(|t| t.home_orders_hint),
            icon: ICON_ORDERS,
            phone: true,
        },
        Section {
            key: "staff-orders",
            path: "/staff/orders",
            label: |t| t.nav_staff_orders,
            hint: Some(|t| t.home_staff_orders_hint),
            icon: ICON_ORDERS,
            phone: true,
        },
        Section {
            key: "payments",
            path: "/staff/payments",
            label: |t| t.nav_payments,
            hint: Some(|t| t.home_payments_hint),
            icon: ICON_PAYMENTS,
            phone: false,
        },
        Section {
            key: "tasks",
            path: "/staff/tasks",
            label: |t| t.nav_tasks,
            hint: Some(|t| t.home_tasks_hint),
            icon: ICON_TASKS,
            phone: false,
        },
        Section {
            key: "quick-order",
            path: "/quick-order",
            label: |t| t.nav_quick_order,
            hint: Some(|t| t.home_quick_order_hint),
            icon: ICON_QUICK,
            phone: false,
        },
        Section {
            key: "users",
            path: "/admin/users",
            label: |t| t.nav_users,
            hint: Some(|t| t.home_users_hint),
            icon: ICON_USERS,
            phone: true,
        },
        Section {
            key: "notifications",
            path: "/admin/notifications",
            label: |t| t.nav_notifications,
            hint: Some(|t| t.home_notifications_hint),
            icon: ICON_MAIL,
            phone: false,
        },
        Section {
            key: "channels",
            path: "/admin/channels",
            label: |t| t.nav_channels,
            hint: Some(|t| t.home_channels_hint),
            icon: ICON_CHANNELS,
            phone: false,
        },
        Section {
            key: "profile",
            path: "/profile",
            label: |t| t.nav_profile,
            hint: Some(|t| t.home_profile_hint),
            icon: ICON_PROFILE,
            phone: true,
        },
    ]
}

/// The sections a role sees, in navigation order: those whose page the policy table admits the
/// role to (one table decides both what is shown and what is allowed).
pub fn sections(role: Role) -> Vec<Section> {
    all_sections()
        .into_iter()
        .filter(|s| crate::policy::policy_for(s.path).is_some_and(|p| p.access.allows(Some(role))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_follows_the_policy_table() {
        let keys = |role| sections(role).iter().map(|s| s.key).collect::<Vec<_>>();
        assert_eq!(keys(Role::RetailBuyer), ["home", "catalog", "cart", "orders", "profile"]);
        assert_eq!(keys(Role::WholesaleBuyer), ["home", "catalog", "cart", "orders", "quick-order", "profile"]);
        assert_eq!(
            keys(Role::Admin),
            ["home", "catalog", "staff-orders", "payments", "tasks", "users", "notifications", "channels", "profile"]
        );
        assert_eq!(keys(Role::Head), ["home", "catalog", "staff-orders", "payments", "tasks", "profile"]);
        assert_eq!(keys(Role::SalesManager), ["home", "catalog", "staff-orders", "tasks", "profile"]);
        assert_eq!(keys(Role::Cashier), ["home", "catalog", "profile"]);
        for s in all_sections() {
            assert!(crate::policy::policy_for(s.path).is_some(), "{} has a policy row", s.path);
        }
    }
}

/// The frame of every signed-in page: navigation (bottom bar on phones, sidebar on wide screens),
/// the user menu, and the page itself given the signed-in user.
#[component]
pub fn Cabinet<F, V>(page: F) -> impl IntoView
where
    F: Fn(CurrentUser) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let user = expect_context::<UserResource>();
    view! {
        <Suspense fallback=move || view! { <p class="p-6 text-slate-500">{move || t().loading}</p> }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => view! { <Frame user=u.clone()>{page(u)}</Frame> }.into_any(),
                        Ok(None) => view! { <SignInPrompt/> }.into_any(),
                        Err(e) => {
                            view! {
                                <p role="alert" class="p-6 text-red-700">{move || e.message(use_locale().get())}</p>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// The frame of public pages (catalog, product, cart): the cabinet frame for a signed-in person,
/// a shop header for a guest. The page gets the user, if any.
#[component]
pub fn Storefront<F, V>(page: F) -> impl IntoView
where
    F: Fn(Option<CurrentUser>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let user = expect_context::<UserResource>();
    view! {
        <Suspense fallback=move || view! { <p class="p-6 text-slate-500">{move || t().loading}</p> }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => view! { <Frame user=u.clone()>{page(Some(u))}</Frame> }.into_any(),
                        Ok(None) => view! { <ShopFrame>{page(None)}</ShopFrame> }.into_any(),
                        Err(e) => {
                            view! {
                                <p role="alert" class="p-6 text-red-700">{move || e.message(use_locale().get())}</p>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// A guest's frame of the shop: catalog, cart, sign-in and language.
#[component]
fn ShopFrame(children: Children) -> impl IntoView {
    view! {
        <div class="min-h-screen">
            <header class="sticky top-0 z-10 flex h-14 items-center gap-2 border-b border-slate-200 bg-white px-4">
                <a href="/catalog" class="mr-auto text-lg font-bold text-sky-800">{move || t().app_name}</a>
                <a href="/cart" data-testid="nav-cart" class="flex min-h-11 items-center gap-1 rounded-lg px-2 hover:bg-slate-100">
                    <Icon path=ICON_CART/>
                    <span class="sr-only sm:not-sr-only">{move || t().nav_cart}</span>
                </a>
                <a href="/login" data-testid="nav-login" class="flex min-h-11 items-center rounded-lg px-2 font-medium text-sky-800 hover:bg-slate-100">
                    {move || t().sign_in_button}
                </a>
                <LanguageSwitch/>
            </header>
            <main class="mx-auto w-full max-w-6xl p-4 md:p-8">{children()}</main>
        </div>
    }
}

#[component]
fn SignInPrompt() -> impl IntoView {
    view! {
        <GuestFrame>
            <p class="mb-4">{move || t().err_unauthenticated}</p>
            <a href="/login" class=super::form::BUTTON_CLASS>{move || t().sign_in_button}</a>
        </GuestFrame>
    }
}

#[component]
fn Frame(user: CurrentUser, children: Children) -> impl IntoView {
    let location = use_location();
    let items = sections(user.role);
    let nav = items
        .into_iter()
        .map(|s| {
            let active = move || {
                let path = location.pathname.get();
                path == s.path || (s.path != "/home" && path.starts_with(&format!("{}/", s.path)))
            };
            let visibility = if s.phone { "flex" } else { "hidden md:flex" };
            view! {
                <a
                    href=s.path
                    data-testid=format!("nav-{}", s.key)
                    aria-current=move || active().then_some("page")
                    class=format!("{visibility} min-h-14 flex-1 flex-col items-center justify-center gap-0.5 px-2 text-xs text-slate-600 \
                           aria-[current=page]:text-sky-700 aria-[current=page]:font-semibold \
                           md:min-h-11 md:flex-none md:flex-row md:justify-start md:gap-3 md:rounded-lg md:px-3 md:text-base \
                           md:aria-[current=page]:bg-sky-50")
                >
                    <Icon path=s.icon/>
                    <span>{move || (s.label)(t())}</span>
                </a>
            }
        })
        .collect_view();
    view! {
        <div class="min-h-screen md:flex">
            <nav
                aria-label="sections"
                class="fixed inset-x-0 bottom-0 z-20 flex border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] \
                       md:static md:w-64 md:flex-col md:gap-1 md:border-t-0 md:border-r md:p-3"
            >
                <a href="/home" class="hidden px-3 py-4 text-xl font-bold text-sky-800 md:block">{move || t().app_name}</a>
                {nav}
            </nav>
            <div class="flex min-w-0 flex-1 flex-col">
                <header class="sticky top-0 z-10 flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4">
                    <a href="/home" class="mr-auto text-lg font-bold text-sky-800 md:invisible">{move || t().app_name}</a>
                    <crate::pages::Bell unread=user.unread/>
                    <UserMenu user/>
                </header>
                <main class="mx-auto w-full max-w-6xl flex-1 p-4 pb-24 md:p-8">{children()}</main>
            </div>
        </div>
    }
}

/// Shows a changed name in the frame's user menu at once (the frame is rendered on the server).
pub fn show_user_name(name: &str) {
    #[cfg(feature = "hydrate")]
    {
        let initial = name.chars().next().unwrap_or('?').to_string();
        for (selector, text) in [("[data-user-name]", name), ("[data-user-initial]", initial.as_str())] {
            if let Ok(list) = document().query_selector_all(selector) {
                for i in 0..list.length() {
                    if let Some(node) = list.item(i) {
                        node.set_text_content(Some(text));
                    }
                }
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = name;
}

#[component]
fn UserMenu(user: CurrentUser) -> impl IntoView {
    let locale = use_locale();
    let role = user.role;
    let name = user.name.clone();
    let initial = user.name.chars().next().unwrap_or('?').to_string();
    let organisation = user.organisation.clone();
    view! {
        <details data-testid="user-menu" class="relative">
            <summary class="flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-lg px-2 hover:bg-slate-100">
                <span class="flex h-8 w-8 items-center justify-center rounded-full bg-sky-700 text-sm font-bold text-white" data-user-initial>
                    {initial}
                </span>
                <span class="max-w-[40vw] truncate text-sm font-medium" data-user-name>{name.clone()}</span>
            </summary>
            <div class="absolute right-0 mt-2 w-72 space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-lg">
                <div>
                    <p class="font-semibold" data-user-name>{name}</p>
                    <p class="text-sm text-slate-600" data-testid="user-role">{move || role_name(locale.get(), role)}</p>
                    <p class="text-sm text-slate-600">{organisation}</p>
                </div>
                <a href="/profile" class="block min-h-11 rounded-lg px-2 py-3 hover:bg-slate-100">{move || t().nav_profile}</a>
                <div class="flex items-center justify-between">
                    <span class="text-sm text-slate-600">{move || t().language}</span>
                    <LanguageSwitch/>
                </div>
                <form method="post" action="/auth/logout">
                    <button type="submit" data-testid="logout" class=super::form::SECONDARY_BUTTON_CLASS>
                        {move || t().sign_out}
                    </button>
                </form>
            </div>
        </details>
    }
}

/// The frame of pages for people who are not signed in.
#[component]
pub fn GuestFrame(children: Children) -> impl IntoView {
    view! {
        <div class="flex min-h-screen flex-col items-center px-4 py-8">
            <div class="flex w-full max-w-md items-center justify-between">
                <a href="/login" class="text-2xl font-bold text-sky-800">{move || t().app_name}</a>
                <LanguageSwitch/>
            </div>
            <p class="mt-1 w-full max-w-md text-sm text-slate-600">{move || t().tagline}</p>
            <div class="mt-6 w-full max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">{children()}</div>
        </div>
    }
}
