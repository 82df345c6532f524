//! Catalog area: search, facets, sorting, pages; and the product page with the staff price panel.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_params_map};

use crate::api::catalog::{SetPriceStock, get_product, search_catalog};
use crate::components::Storefront;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::components::format::{money, quantity};
use crate::i18n::code_message;
use crate::i18n::{t, use_locale};
use crate::model::CurrentUser;
use crate::model::quantity_input as quantity_input_for;
use crate::model::{CatalogPage as Page, ProductPage, SearchParams, Sort};
use leptos::form::ActionForm;

mod buy;
use buy::{AddRefused, Buy, LiveFeed, ProductImage, ProductTile};

fn can_buy(user: &Option<CurrentUser>) -> bool {
    crate::policy::allows("/api/cart_add", user.as_ref().map(|u| u.role))
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    view! { <Storefront page=catalog/> }
}

fn catalog(user: Option<CurrentUser>) -> impl IntoView {
    let location = use_location();
    let results =
        Resource::new(move || location.search.get(), |q| search_catalog(q.trim_start_matches('?').to_string()));
    let buyer = can_buy(&user);
    view! {
        <h1 class="mb-3 text-2xl font-bold">{move || crate::i18n::catalog::t().catalog_title}</h1>
        <Transition fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(page) => view! { <Results page buyer/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(use_locale().get())}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(page: Page, buyer: bool) -> impl IntoView {
    let locale = use_locale();
    let params = page.params.clone();
    let export = format!("/export/catalog.xlsx?{}", params.with_page(1).to_query());
    let crumbs = page.breadcrumbs.clone();
    let items = page.items.clone();
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    let total = page.total;
    view! {
        <LiveFeed ids/>
        <AddRefused/>
        <SearchBox params=params.clone()/>
        {(!crumbs.is_empty()).then(|| {
            let links = crumbs.iter().map(|(slug, name)| {
                let href = format!("/catalog?{}", SearchParams { category: Some(slug.clone()), q: params.q.clone(), page: 1, ..Default::default() }.to_query());
                view! { <span>" / "</span><a href=href class="text-sky-800 hover:underline">{name.clone()}</a> }
            }).collect_view();
            let all = format!("/catalog?{}", SearchParams { q: params.q.clone(), page: 1, ..Default::default() }.to_query());
            view! { <nav aria-label="breadcrumbs" class="mb-3 text-sm" data-testid="breadcrumbs"><a href=all class="text-sky-800 hover:underline">{move || crate::i18n::catalog::t().catalog_title}</a>{links}</nav> }
        })}
        <div class="md:grid md:grid-cols-[16rem_1fr] md:gap-6">
            <Filters page=page.clone()/>
            <section>
                <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
                    <p class="text-sm text-slate-600" data-testid="result-count">
                        {move || crate::i18n::catalog::t().found} ": " {move || locale.get().format_integer(total)}
                    </p>
                    <a href=export data-testid="export" download="catalog.xlsx" class=SECONDARY_BUTTON_CLASS>{move || crate::i18n::catalog::t().export_excel}</a>
                </div>
                {if items.is_empty() {
                    view! { <p class="rounded-xl border border-slate-200 bg-white p-6 text-slate-600" data-testid="nothing-found">{move || crate::i18n::catalog::t().nothing_found}</p> }.into_any()
                } else {
                    view! {
                        <ul class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="results">
                            {items.into_iter().map(|card| view! { <ProductTile card can_buy=buyer/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <Pager params=params.clone() pages=page.pages/>
            </section>
        </div>
    }
}

#[component]
fn SearchBox(params: SearchParams) -> impl IntoView {
    view! {
        <Form method="GET" action="/catalog" attr:class="mb-3 flex gap-2" attr:role="search">
            {params.category.clone().map(|c| view! { <input type="hidden" name="cat" value=c/> })}
            <label class="sr-only" for="catalog-q">{move || crate::i18n::catalog::t().search_label}</label>
            <input id="catalog-q" name="q" type="search" value=params.q.clone() data-testid="search"
                placeholder=move || crate::i18n::catalog::t().search_placeholder class=INPUT_CLASS enterkeyhint="search"/>
            <button type="submit" class=BUTTON_CLASS data-testid="search-submit">{move || crate::i18n::catalog::t().search_button}</button>
        </Form>
    }
}

/// Facets as one GET form: it works without JavaScript and the address keeps the filtered view.
#[component]
fn Filters(page: Page) -> impl IntoView {
    let locale = use_locale();
    let p = page.params.clone();
    let f = page.facets.clone();
    let categories = f.categories.iter().map(|c| {
        let href = format!("/catalog?{}", SearchParams { category: Some(c.value.clone()), q: p.q.clone(), page: 1, ..Default::default() }.to_query());
        view! {
            <li class="shrink-0"><a href=href class="flex min-h-11 items-center justify-between gap-2 whitespace-nowrap rounded-lg px-2 hover:bg-slate-100" data-testid="category-facet">
                <span>{c.label.clone()}</span><span class="text-xs text-slate-500">{c.count}</span>
            </a></li>
        }
    }).collect_view();
    let checkbox = |name: String, value: String, label: String, count: i64, checked: bool, testid: &'static str| {
        view! {
            <label class="flex min-h-11 items-center gap-2 px-1" data-testid=testid>
                <input type="checkbox" name=name value=value checked=checked class="h-5 w-5"/>
                <span class="flex-1">{label}</span>
                <span class="text-xs text-slate-500">{count}</span>
            </label>
        }
    };
    let brands = f
        .brands
        .iter()
        .map(|b| checkbox("brand".into(), b.value.clone(), b.label.clone(), b.count, b.selected, "brand-facet"))
        .collect_view();
    let attributes = f.attributes.iter().map(|a| {
        let values = a.values.iter().map(|v| checkbox(format!("a.{}", a.name), v.value.clone(), v.label.clone(), v.count, v.selected, "attribute-facet")).collect_view();
        view! { <fieldset class="border-t border-slate-100 pt-2"><legend class="text-sm font-semibold">{a.name.clone()}</legend>{values}</fieldset> }
    }).collect_view();
    let roubles = |k: Option<i64>| k.map(|k| (k / 100).to_string()).unwrap_or_default();
    let (min_hint, max_hint) = (f.price_min, f.price_max);
    let sort = p.sort;
    let open = p.has_filters();
    view! {
        <div class="mb-4 space-y-3">
        {(!f.categories.is_empty()).then(|| view! {
            <ul class="flex gap-1 overflow-x-auto rounded-xl border border-slate-200 bg-white p-2 md:block md:space-y-0.5" data-testid="categories">{categories}</ul>
        })}
        <details class="rounded-xl border border-slate-200 bg-white" open=open data-testid="filters">
            <summary class="flex min-h-11 cursor-pointer items-center px-4 font-semibold">{move || crate::i18n::catalog::t().filters}</summary>
            <div class="space-y-3 p-4">
                <Form method="GET" action="/catalog" attr:class="space-y-3">
                    <input type="hidden" name="q" value=p.q.clone()/>
                    {p.category.clone().map(|c| view! { <input type="hidden" name="cat" value=c/> })}
                    <label class="block text-sm font-medium" for="sort">{move || crate::i18n::catalog::t().sort_label}</label>
                    <select id="sort" name="sort" class=INPUT_CLASS data-testid="sort">
                        {Sort::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=s == sort>{move || sort_name(s)}</option>
                        }).collect_view()}
                    </select>
                    <label class="flex min-h-11 items-center gap-2 px-1" data-testid="stock-facet">
                        <input type="checkbox" name="stock" value="1" checked=p.in_stock class="h-5 w-5"/>
                        <span class="flex-1">{move || crate::i18n::catalog::t().only_in_stock}</span>
                        <span class="text-xs text-slate-500">{f.in_stock}</span>
                    </label>
                    <fieldset>
                        <legend class="text-sm font-semibold">{move || crate::i18n::catalog::t().price_label}</legend>
                        <div class="flex gap-2">
                            <input name="min" inputmode="numeric" aria-label=move || crate::i18n::catalog::t().price_from value=p.price_min.map(|v| v.to_string())
                                placeholder=roubles(min_hint) data-testid="price-min" class=INPUT_CLASS/>
                            <input name="max" inputmode="numeric" aria-label=move || crate::i18n::catalog::t().price_to value=p.price_max.map(|v| v.to_string())
                                placeholder=roubles(max_hint) data-testid="price-max" class=INPUT_CLASS/>
                        </div>
                        {min_hint.zip(max_hint).map(|(a, b)| view! {
                            <p class="mt-1 text-xs text-slate-500">{move || money(locale.get(), a)} " — " {move || money(locale.get(), b)}</p>
                        })}
                    </fieldset>
                    {(!f.brands.is_empty()).then(|| view! {
                        <fieldset class="border-t border-slate-100 pt-2"><legend class="text-sm font-semibold">{move || crate::i18n::catalog::t().brand_label}</legend>{brands}</fieldset>
                    })}
                    {attributes}
                    <div class="flex gap-2">
                        <button type="submit" class=BUTTON_CLASS data-testid="apply-filters">{move || crate::i18n::catalog::t().apply_filters}</button>
                        <a href=format!("/catalog?{}", SearchParams { q: p.q.clone(), category: p.category.clone(), page: 1, ..Default::default() }.to_query())
                            class=SECONDARY_BUTTON_CLASS>{move || crate::i18n::catalog::t().reset_filters}</a>
                    </div>
                </Form>
            </div>
        </details>
        </div>
    }
}

fn sort_name(s: Sort) -> &'static str {
    let t = crate::i18n::catalog::t();
    match s {
        Sort::Relevance => t.sort_relevance,
        Sort::PriceAsc => t.sort_price_asc,
        Sort::PriceDesc => t.sort_price_desc,
        Sort::Name => t.sort_name,
    }
}

#[component]
fn Pager(params: SearchParams, pages: u32) -> impl IntoView {
    let current = params.page;
    (pages > 1).then(|| {
        let prev = (current > 1).then(|| format!("/catalog?{}", params.with_page(current - 1).to_query()));
        let next = (current < pages).then(|| format!("/catalog?{}", params.with_page(current + 1).to_query()));
        view! {
            <nav aria-label="pages" class="mt-4 flex items-center justify-between gap-2" data-testid="pager">
                {prev.map(|h| view! { <a href=h class=SECONDARY_BUTTON_CLASS data-testid="prev-page">{move || crate::i18n::catalog::t().prev_page}</a> })}
                <span class="text-sm text-slate-600">{current} " / " {pages}</span>
                {next.map(|h| view! { <a href=h class=SECONDARY_BUTTON_CLASS data-testid="next-page">{move || crate::i18n::catalog::t().next_page}</a> })}
            </nav>
        }
    })
}

#[component]
pub fn ProductPageView() -> impl IntoView {
    view! { <Storefront page=product/> }
}

fn product(user: Option<CurrentUser>) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, get_product);
    let buyer = can_buy(&user);
    let staff = user.as_ref().is_some_and(|u| crate::policy::allows("/api/set_price_stock", Some(u.role)));
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <Product p buyer staff/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700" data-testid="product-error">{move || e.message(use_locale().get())}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Product(p: ProductPage, buyer: bool, staff: bool) -> impl IntoView {
    let locale = use_locale();
    let c = p.card.clone();
    let unit = c.unit;
    let crumbs = p.breadcrumbs.iter().map(|(slug, name)| {
        view! { <span>" / "</span><a href=format!("/catalog?cat={slug}") class="text-sky-800 hover:underline">{name.clone()}</a> }
    }).collect_view();
    let stock = p
        .stock
        .iter()
        .map(|s| {
            let q = s.quantity;
            view! {
                <tr class="border-t border-slate-100" data-testid="stock-row">
                    <td class="py-2 pr-3">
                        <span class="block">{s.name.clone()}</span>
                        <span class="block text-xs text-slate-500">{s.address.clone()}</span>
                    </td>
                    <td class="py-2 text-right whitespace-nowrap">
                        {move || if q > 0 { quantity(locale.get(), q, unit) } else { crate::i18n::catalog::t().none_left.to_string() }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let attributes = p.attributes.iter().map(|(n, v)| view! {
        <div class="flex justify-between gap-4 border-t border-slate-100 py-2"><dt class="text-slate-600">{n.clone()}</dt><dd class="text-right">{v.clone()}</dd></div>
    }).collect_view();
    let out = c.stock <= 0;
    let analogs = p.analogs.clone();
    let ids: Vec<i64> = std::iter::once(c.id).chain(analogs.iter().map(|a| a.id)).collect();
    let warranty = p.warranty_months;
    let panel = (staff && p.staff_prices.is_some()).then(|| view! { <StaffPanel p=p.clone()/> });
    let returnable = p.returnable;
    view! {
        <LiveFeed ids/>
        <AddRefused/>
        <nav aria-label="breadcrumbs" class="mb-3 text-sm"><a href="/catalog" class="text-sky-800 hover:underline">{move || crate::i18n::catalog::t().catalog_title}</a>{crumbs}</nav>
        <div class="grid gap-6 md:grid-cols-2">
            <ProductImage name=c.name.clone()/>
            <div class="space-y-3">
                <h1 class="text-2xl font-bold" data-testid="product-title">{c.name.clone()}</h1>
                <p class="text-sm text-slate-600">{c.brand.clone()} " · " {move || crate::i18n::catalog::t().article} " " <span data-testid="sku">{c.sku.clone()}</span></p>
                <Buy id=c.id list=c.list_price price=c.price stock=c.stock unit=c.unit can_buy=buyer with_quantity=true/>
                <dl class="text-sm">
                    <div class="flex justify-between gap-4 py-1"><dt class="text-slate-600">{move || crate::i18n::catalog::t().warranty}</dt>
                        <dd data-testid="warranty">{move || crate::i18n::months(locale.get(), warranty)}</dd></div>
                    <div class="flex justify-between gap-4 py-1"><dt class="text-slate-600">{move || crate::i18n::catalog::t().returns}</dt>
                        <dd data-testid="returnable">{move || if returnable { crate::i18n::catalog::t().returnable } else { crate::i18n::catalog::t().not_returnable }}</dd></div>
                </dl>
            </div>
        </div>
        {(out && !analogs.is_empty()).then(|| view! {
            <p class="mt-6 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="analogs-hint">{move || crate::i18n::catalog::t().analogs_hint}</p>
        })}
        {(!analogs.is_empty()).then(|| view! {
            <section class="mt-6">
                <h2 class="mb-2 text-lg font-semibold">{move || crate::i18n::catalog::t().analogs_title}</h2>
                <ul class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="analogs">
                    {analogs.into_iter().map(|card| view! { <ProductTile card can_buy=buyer/> }).collect_view()}
                </ul>
            </section>
        })}
        <div class="mt-6 grid gap-6 md:grid-cols-2">
            <section>
                <h2 class="mb-2 text-lg font-semibold">{move || crate::i18n::catalog::t().stock_title}</h2>
                <table class="w-full text-sm" data-testid="stock-table"><tbody>{stock}</tbody></table>
            </section>
            <section>
                <h2 class="mb-2 text-lg font-semibold">{move || crate::i18n::catalog::t().specs_title}</h2>
                <dl class="text-sm">{attributes}</dl>
                <p class="mt-3 text-sm text-slate-700">{p.description.clone()}</p>
            </section>
        </div>
        {panel}
    }
}

/// Staff change prices and stock here; buyers' open pages follow within a second.
#[island(lazy)]
fn StaffPanel(p: ProductPage) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let action = ServerAction::<SetPriceStock>::new();
    let field = move |name: &'static str| {
        move || {
            action.value().with(|v| match v {
                Some(Err(e)) => e.field_code(name).map(|c| code_message(locale.get(), c)),
                _ => None,
            })
        }
    };
    let saved = move || action.value().with(|v| matches!(v, Some(Ok(()))));
    let kopecks = |k: i64| crate::model::quantity_input(k * 10);
    let (retail, wholesale, dealer) = p.staff_prices.unwrap_or_default();
    let input = move |name: &'static str, label: fn() -> &'static str, value: String| {
        view! {
            <div class="space-y-1">
                <label class="block text-sm font-medium" for=format!("staff-{name}")>{label}</label>
                <input id=format!("staff-{name}") name=name value=value inputmode="decimal" class=INPUT_CLASS data-testid=format!("staff-{name}")/>
                <p class="text-sm text-red-700">{field(name)}</p>
            </div>
        }
    };
    let first = p.stock.first().map(|s| quantity_input_for(s.quantity)).unwrap_or_default();
    view! {
        <section class="mt-6 rounded-xl border border-violet-200 bg-violet-50 p-4" data-testid="staff-panel">
            <h2 class="mb-2 text-lg font-semibold">{move || crate::i18n::catalog::t().staff_panel_title}</h2>
            <ActionForm action=action attr:class="grid gap-3 sm:grid-cols-3" attr:novalidate=true>
                <input type="hidden" name="product_id" value=p.card.id.to_string()/>
                {input("retail", || crate::i18n::catalog::t().price_retail, kopecks(retail))}
                {input("wholesale", || crate::i18n::catalog::t().price_wholesale, kopecks(wholesale))}
                {input("dealer", || crate::i18n::catalog::t().price_dealer, kopecks(dealer))}
                <div class="space-y-1 sm:col-span-2">
                    <label class="block text-sm font-medium" for="staff-location">{move || crate::i18n::catalog::t().stock_location}</label>
                    <select id="staff-location" name="location_id" class=INPUT_CLASS>
                        {p.stock.iter().map(|s| view! { <option value=s.location_id.to_string()>{s.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                {input("quantity", || crate::i18n::catalog::t().stock_quantity, first)}
                <div class="sm:col-span-3 flex items-center gap-3">
                    <button type="submit" class=BUTTON_CLASS data-testid="staff-save">{move || t().save}</button>
                    <span class="text-sm text-green-800" role="status">{move || saved().then(|| format!("{} {}", t().saved, crate::i18n::catalog::t().live_hint))}</span>
                </div>
            </ActionForm>
        </section>
    }
}
