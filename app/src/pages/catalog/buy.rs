//! Catalog area, islands: the viewer's price, availability and "add to cart" on catalog and
//! product pages (in the main wasm: the catalog is the first page most people open), following
//! live changes of prices and stock over server-sent events.

use domain::{Locale, Unit};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::cart::CartAdd;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS};
use crate::components::format::{money, quantity, unit_label};
#[cfg(feature = "hydrate")]
use crate::components::island::post_form;
use crate::error::AppError;
use crate::i18n::{code_message, t, use_locale};
use crate::model::{LiveUpdate, ProductCard};

thread_local! {
    /// Prices and stock that changed while the page was open, by product id: written by
    /// [`LiveFeed`], read by every [`Buy`] island of the page.
    static LIVE: ArcRwSignal<std::collections::HashMap<i64, LiveUpdate>> = ArcRwSignal::new(Default::default());
}

/// Follows these products' prices and stock over server-sent events for as long as the page is
/// open; the [`Buy`] islands show the changes.
#[island]
pub fn LiveFeed(ids: Vec<i64>) -> impl IntoView {
    crate::components::island::hydrated();
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;
        if ids.is_empty() {
            return;
        }
        let url = format!("/events/products?ids={}", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
        let Ok(source) = web_sys::EventSource::new(&url) else { return };
        let live = LIVE.with(Clone::clone);
        let on_product = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(update) = ev.data().as_string().and_then(|t| serde_json::from_str::<LiveUpdate>(&t).ok()) {
                live.update(|m| {
                    m.insert(update.id, update);
                });
            }
        });
        let _ = source.add_event_listener_with_callback("product", on_product.as_ref().unchecked_ref());
        on_product.forget();
        // The page's lifetime: the browser closes the stream when the page goes.
        std::mem::forget(source);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ids;
}

/// The latest known (list price, price, stock) of a product.
fn live_values(id: i64, list: i64, price: i64, stock: i64) -> impl Fn() -> (i64, i64, i64) + Clone + Send + Sync {
    let live = LIVE.with(Clone::clone);
    move || live.with(|m| m.get(&id).map(|u| (u.list_price, u.price, u.stock))).unwrap_or((list, price, stock))
}

/// A product's price for the viewer, its availability and, for a buyer when in stock, the
/// add-to-cart form; prices and stock follow live changes.
#[island]
pub fn Buy(
    id: i64,
    list: i64,
    price: i64,
    stock: i64,
    unit: Unit,
    can_buy: bool,
    with_quantity: bool,
) -> impl IntoView {
    crate::components::island::hydrated();
    view! {
        <Price id list price unit/>
        <Availability id stock unit/>
        {(can_buy && stock > 0).then(|| view! { <AddToCart product_id=id unit with_quantity/> })}
    }
}

/// "In stock: 12 pcs" or "Out of stock"; follows live changes.
#[component]
fn Availability(id: i64, stock: i64, unit: Unit) -> impl IntoView {
    let locale = use_locale();
    let current = live_values(id, 0, 0, stock);
    view! {
        {move || {
            let stock = current().2;
            if stock > 0 {
                view! {
                    <span class="text-sm text-green-700" data-testid="in-stock">
                        {move || crate::i18n::catalog::t().in_stock} ": " {quantity(locale.get(), stock, unit)}
                    </span>
                }
                    .into_any()
            } else {
                view! { <span class="text-sm text-slate-500" data-testid="out-of-stock">{move || crate::i18n::catalog::t().out_of_stock}</span> }.into_any()
            }
        }}
    }
}

/// The viewer's price, with the list price struck through when a discount applies; follows live
/// changes.
#[component]
fn Price(id: i64, list: i64, price: i64, unit: Unit) -> impl IntoView {
    let locale = use_locale();
    let current = live_values(id, list, price, 0);
    let shown = current.clone();
    view! {
        <p class="flex flex-wrap items-baseline gap-x-2">
            <span class="text-lg font-bold" data-testid="price">{move || money(locale.get(), shown().1)}</span>
            <span class="text-xs text-slate-500">"/ " {move || unit_label(locale.get(), unit)}</span>
            {move || {
                let (list, price, _) = current();
                (list != price).then(|| view! {
                    <span class="text-sm text-slate-600 line-through" data-testid="list-price">{move || money(locale.get(), list)}</span>
                })
            }}
        </p>
    }
}

/// A quantity field and the add-to-cart button: a plain form post to `cart_add` without
/// JavaScript (the server sends the browser back to the page, [`AddRefused`] shows a refusal), sent
/// in place with it — by [`post_form`], not `ActionForm`, to keep the first-load wasm small.
#[component]
fn AddToCart(product_id: i64, unit: Unit, #[prop(optional)] with_quantity: bool) -> impl IntoView {
    let locale = use_locale();
    let outcome = RwSignal::new(None::<Result<(), AppError>>);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
                return;
            };
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            leptos::task::spawn_local(async move {
                let result = post_form(&form).await.map(drop);
                pending.set(false);
                outcome.set(Some(result));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let error = move || {
        outcome.with(|v| match v {
            Some(Err(e)) => Some(refusal(locale.get(), e)),
            _ => None,
        })
    };
    let added = move || outcome.with(|v| matches!(v, Some(Ok(()))));
    let step = if unit.fractional() { "0.001" } else { "1" };
    view! {
        <form method="post" action=CartAdd::PATH on:submit=on_submit class="flex flex-wrap items-start gap-2" novalidate>
            <input type="hidden" name="product_id" value=product_id.to_string()/>
            {if with_quantity {
                view! {
                    <label class="sr-only" for=format!("qty-{product_id}")>{move || t().quantity_label}</label>
                    <input id=format!("qty-{product_id}") name="quantity" value="1" inputmode="decimal" step=step
                        data-testid="quantity" class=INPUT_CLASS.replace("w-full", "w-24")/>
                }
                    .into_any()
            } else {
                view! { <input type="hidden" name="quantity" value="1"/> }.into_any()
            }}
            <button type="submit" data-testid="add-to-cart" class=BUTTON_CLASS disabled=move || pending.get()>
                {move || if added() { crate::i18n::catalog::t().added_to_cart } else { crate::i18n::catalog::t().add_to_cart }}
            </button>
            <p class="w-full text-sm text-red-700" role="alert" data-testid="add-error">{error}</p>
        </form>
    }
}

/// Why the server did not add to the cart: the quantity's problem, or the error's own sentence.
fn refusal(locale: Locale, e: &AppError) -> String {
    e.field_code("quantity").map(|c| code_message(locale, c)).unwrap_or_else(|| e.message(locale))
}

/// An add to cart sent without JavaScript and refused comes back to the page with the reason in
/// its address (`__err`, as the server sends form posts back): shown once, at the top.
#[component]
pub fn AddRefused() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let refused = {
        use leptos::server::ServerActionError;
        use leptos::server_fn::error::ServerFnUrlError;
        use_context::<ServerActionError>()
            .filter(|e| e.path() == CartAdd::PATH)
            .map(|e| refusal(use_locale().get_untracked(), &ServerFnUrlError::<AppError>::decode_err(e.err())))
    };
    // The browser never renders it: the page is not hydrated, only its islands are.
    #[cfg(not(feature = "ssr"))]
    let refused: Option<String> = None;
    refused.map(|message| {
        view! {
            <p role="alert" data-testid="add-refused" class="mb-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                {message}
            </p>
        }
    })
}

/// A product in a list: name, article, price for the viewer, availability, add to cart.
#[component]
pub fn ProductTile(card: ProductCard, #[prop(optional)] can_buy: bool) -> impl IntoView {
    let href = format!("/catalog/{}", card.id);
    view! {
        <li class="flex flex-col gap-2 rounded-xl border border-slate-200 bg-white p-3 shadow-sm" data-testid="product">
            <a href=href.clone() class="flex gap-3">
                <ProductImage name=card.name.clone() small=true/>
                <span class="min-w-0">
                    <span class="block font-medium leading-snug text-slate-900 hover:text-sky-800" data-testid="product-name">
                        {card.name.clone()}
                    </span>
                    <span class="block text-xs text-slate-500">{card.brand.clone()} " · " {card.sku.clone()}</span>
                </span>
            </a>
            <Buy id=card.id list=card.list_price price=card.price stock=card.stock unit=card.unit can_buy with_quantity=false/>
        </li>
    }
}

/// A generated picture for a product: its initials on a colour picked from the name.
#[component]
pub fn ProductImage(name: String, #[prop(optional)] small: bool) -> impl IntoView {
    let hue = name.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 360;
    let initials: String = name.split_whitespace().take(2).filter_map(|w| w.chars().next()).collect();
    let size = if small { "h-16 w-16 text-lg" } else { "h-48 w-full text-5xl md:h-64" };
    view! {
        <span
            aria-hidden="true"
            class=format!("flex shrink-0 items-center justify-center rounded-lg font-bold text-white {size}")
            style=format!("background: linear-gradient(135deg, hsl({hue} 55% 45%), hsl({} 55% 35%))", (hue + 40) % 360)
        >
            {initials}
        </span>
    }
}
