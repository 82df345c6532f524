//! Catalog area, use cases: search with facets, product pages and staff price changes. Who is
//! looking decides the prices (domain pricing); the store does the rest.

use domain::pricing::{Buyer, PriceType, shelf_price};
use domain::{Percent, Quantity};

use super::context::{RequestInfo, ServerState, store_err};
use crate::error::{AppError, FieldError};
use crate::model::*;
use crate::ports::{BuyerTerms, CatalogQuery, Category, ProductDetails, ProductRecord};

/// Who is looking at the catalog and how they buy.
pub async fn viewer(state: &ServerState, info: &RequestInfo) -> Result<(Viewer, Option<BuyerTerms>), AppError> {
    let policy = state.store.discount_policy().await.map_err(store_err(info))?;
    let Some(caller) = &info.caller else {
        let buyer = Buyer {
            personal_discount: Percent::ZERO,
            accumulated: 0,
            placed_online: true,
            paid_online: false,
            manual_order_discount: Percent::ZERO,
        };
        return Ok((Viewer { signed_in: false, price_type: PriceType::Retail, buyer, policy, on_credit: false }, None));
    };
    let terms = state.store.buyer_terms(caller.user.organisation_id).await.map_err(store_err(info))?;
    let buyer = Buyer {
        personal_discount: Percent::from_basis_points(terms.personal_discount_bp).unwrap_or(Percent::ZERO),
        accumulated: terms.accumulated,
        placed_online: true,
        paid_online: false,
        manual_order_discount: Percent::ZERO,
    };
    let on_credit = domain::ordering::buys_on_credit(terms.org_kind, terms.price_type);
    let viewer = Viewer { signed_in: true, price_type: terms.price_type, buyer, policy, on_credit };
    Ok((viewer, Some(terms)))
}

pub fn card(p: &ProductRecord, viewer: &Viewer) -> ProductCard {
    let shelf = shelf_price(&p.prices, viewer.price_type, &viewer.buyer, &viewer.policy);
    ProductCard {
        id: p.id,
        sku: p.sku.clone(),
        name: p.name.clone(),
        brand: p.brand.clone(),
        category: p.category.clone(),
        unit: p.unit,
        list_price: shelf.list,
        price: shelf.price,
        stock: p.stock,
    }
}

/// The category with this slug, every category below it, and the path to it from the root.
/// Slug and name of each category on the way from the root.
type Breadcrumbs = Vec<(String, String)>;

/// Categories come from people and from 1C: a parent chain that loops back on itself is data to
/// survive, not to follow forever — every walk below visits each category once.
fn resolve_category(categories: &[Category], slug: &str) -> Option<(Vec<i64>, Breadcrumbs)> {
    let chosen = categories.iter().find(|c| c.slug == slug)?;
    let mut ids = vec![chosen.id];
    let mut seen = std::collections::HashSet::from([chosen.id]);
    let mut i = 0;
    while i < ids.len() {
        let parent = ids[i];
        for child in categories.iter().filter(|c| c.parent_id == Some(parent)) {
            if seen.insert(child.id) {
                ids.push(child.id);
            }
        }
        i += 1;
    }
    Some((ids, breadcrumbs(categories, chosen.id)))
}

fn breadcrumbs(categories: &[Category], id: i64) -> Vec<(String, String)> {
    let mut path = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut current = categories.iter().find(|c| c.id == id);
    while let Some(c) = current.filter(|c| seen.insert(c.id)) {
        path.push((c.slug.clone(), c.name.clone()));
        current = c.parent_id.and_then(|p| categories.iter().find(|x| x.id == p));
    }
    path.reverse();
    path
}

fn roubles_to_kopecks(r: Option<i64>) -> Option<i64> {
    r.and_then(|r| r.checked_mul(100))
}

pub async fn search(state: &ServerState, info: &RequestInfo, query: &str) -> Result<CatalogPage, AppError> {
    search_rows(state, info, query, None).await
}

/// At most this many rows go into one Excel export.
pub const EXPORT_LIMIT: i64 = 100_000;

/// One row of the Excel export.
pub struct ExportRow {
    pub card: ProductCard,
}

/// Every product of the filtered view (up to [`EXPORT_LIMIT`]), priced for the viewer.
pub async fn export_rows(state: &ServerState, info: &RequestInfo, query: &str) -> Result<Vec<ExportRow>, AppError> {
    let page = search_rows(state, info, query, Some(EXPORT_LIMIT)).await?;
    Ok(page.items.into_iter().map(|card| ExportRow { card }).collect())
}

async fn search_rows(
    state: &ServerState,
    info: &RequestInfo,
    query: &str,
    all: Option<i64>,
) -> Result<CatalogPage, AppError> {
    let pairs = crate::model::url::parse_query(query);
    let params = SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (viewer, _) = viewer(state, info).await?;
    let categories = state.store.categories().await.map_err(store_err(info))?;
    let (category_ids, crumbs) = match &params.category {
        Some(slug) => resolve_category(&categories, slug).ok_or(AppError::NotFound)?,
        None => (Vec::new(), Vec::new()),
    };
    let q = CatalogQuery {
        terms: domain::search::query_terms(&params.q),
        category_ids,
        brands: params.brands.clone(),
        price_type: viewer.price_type,
        price_min: roubles_to_kopecks(params.price_min),
        price_max: roubles_to_kopecks(params.price_max),
        in_stock: params.in_stock,
        attributes: params.attributes.clone(),
        attribute_facets: params.category.is_some(),
        sort: params.sort,
        offset: if all.is_some() { 0 } else { i64::from(params.page.saturating_sub(1)) * i64::from(PAGE_SIZE) },
        limit: all.unwrap_or(i64::from(PAGE_SIZE)),
    };
    let result = state.store.search(&q).await.map_err(store_err(info))?;

    // Categories: the roots (counts rolled up) or the children of the chosen one.
    let chosen = params.category.as_ref().and_then(|s| categories.iter().find(|c| &c.slug == s)).map(|c| c.id);
    let count_below = |id: i64| -> i64 {
        let (ids, _) = resolve_category(
            &categories,
            &categories.iter().find(|c| c.id == id).map(|c| c.slug.clone()).unwrap_or_default(),
        )
        .unwrap_or_default();
        result.categories.iter().filter(|(c, _)| ids.contains(c)).map(|(_, n)| n).sum()
    };
    let category_facet = categories
        .iter()
        .filter(|c| c.parent_id == chosen)
        .map(|c| FacetValue { value: c.slug.clone(), label: c.name.clone(), count: count_below(c.id), selected: false })
        .filter(|f| f.count > 0)
        .collect();
    let mut brands: Vec<FacetValue> = result
        .brands
        .iter()
        .map(|(b, n)| FacetValue { value: b.clone(), label: b.clone(), count: *n, selected: params.brands.contains(b) })
        .collect();
    for b in &params.brands {
        if !brands.iter().any(|f| &f.value == b) {
            brands.push(FacetValue { value: b.clone(), label: b.clone(), count: 0, selected: true });
        }
    }
    brands.sort_by_key(|a| a.label.to_lowercase());
    let mut attributes: Vec<AttributeFacet> = Vec::new();
    for (name, value, count) in &result.attributes {
        let selected = params.attributes.iter().any(|(n, v)| n == name && v == value);
        let facet = FacetValue { value: value.clone(), label: value.clone(), count: *count, selected };
        match attributes.iter_mut().find(|a| &a.name == name) {
            Some(a) => a.values.push(facet),
            None => attributes.push(AttributeFacet { name: name.clone(), values: vec![facet] }),
        }
    }
    for a in &mut attributes {
        // Numbers in numeric order (4, 6, 10 rather than 10, 4, 6).
        a.values.sort_by(|x, y| {
            match (x.value.replace(',', ".").parse::<f64>(), y.value.replace(',', ".").parse::<f64>()) {
                (Ok(p), Ok(q)) => p.total_cmp(&q),
                _ => x.value.cmp(&y.value),
            }
        });
    }
    let pages = u32::try_from((result.total + i64::from(PAGE_SIZE) - 1) / i64::from(PAGE_SIZE)).unwrap_or(u32::MAX);
    Ok(CatalogPage {
        items: result.rows.iter().map(|p| card(p, &viewer)).collect(),
        total: result.total,
        pages,
        facets: Facets {
            categories: category_facet,
            brands,
            attributes,
            in_stock: result.in_stock,
            price_min: result.price_range.map(|r| r.0),
            price_max: result.price_range.map(|r| r.1),
        },
        breadcrumbs: crumbs,
        params,
    })
}

pub async fn product_page(state: &ServerState, info: &RequestInfo, id: i64) -> Result<ProductPage, AppError> {
    let (viewer, _) = viewer(state, info).await?;
    let store = &state.store;
    let (details, stock, categories) =
        tokio::try_join!(store.product_details(id), store.product_stock(id), store.categories())
            .map_err(store_err(info))?;
    let ProductDetails { record: p, attributes, analogs } = details.ok_or(AppError::NotFound)?;
    Ok(ProductPage {
        card: card(&p, &viewer),
        description: p.description.clone(),
        attributes,
        warranty_months: p.warranty_months,
        returnable: p.returnable,
        vat: p.vat,
        stock,
        analogs: analogs.iter().map(|a| card(a, &viewer)).collect(),
        breadcrumbs: breadcrumbs(&categories, p.category_id),
        staff_prices: info
            .caller
            .as_ref()
            .filter(|c| crate::policy::allows("/api/set_price_stock", Some(c.user.role)))
            .map(|_| (p.prices.retail, p.prices.wholesale, p.prices.dealer)),
    })
}

/// Staff change a product's prices and one location's stock (the same path a 1C import will take).
pub async fn set_price_stock(
    state: &ServerState,
    info: &RequestInfo,
    product_id: i64,
    prices: [&str; 3],
    location_id: i64,
    quantity_text: &str,
) -> Result<(), AppError> {
    let p = state.store.product(product_id).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let mut parsed = [0_i64; 3];
    for (i, (field, text)) in ["retail", "wholesale", "dealer"].into_iter().zip(prices).enumerate() {
        match domain::Money::parse(text, domain::Currency::Rub).and_then(|m| m.to_minor()) {
            Ok(k) if k >= 0 => parsed[i] = k,
            Ok(_) => errors.push(FieldError::new(field, "money.negative")),
            Err(e) => errors.push(FieldError::from_domain(field, &e)),
        }
    }
    let quantity = if quantity_text.trim() == "0" {
        Ok(0)
    } else {
        Quantity::parse(quantity_text, p.unit).map(|q| q.thousandths())
    };
    let quantity = quantity.map_err(|e| errors.push(FieldError::from_domain("quantity", &e))).ok();
    let locations = state.store.product_stock(product_id).await.map_err(store_err(info))?;
    if !locations.iter().any(|l| l.location_id == location_id) {
        errors.push(FieldError::new("location_id", "stock.location"));
    }
    let (Some(quantity), true) = (quantity, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let prices = domain::pricing::ProductPrices {
        retail: parsed[0],
        wholesale: parsed[1],
        dealer: parsed[2],
        purchase: p.prices.purchase,
    };
    state
        .store
        .set_price_and_stock(product_id, prices, location_id, quantity, &info.actor())
        .await
        .map_err(store_err(info))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(id: i64, parent_id: Option<i64>) -> Category {
        Category { id, parent_id, slug: format!("c{id}"), name: format!("Категория {id}") }
    }

    #[test]
    fn a_loop_in_the_category_tree_ends() {
        // 1 → 2 → 3 → 1 (a loop an import could write), and 4 under 2.
        let tree = [category(1, Some(3)), category(2, Some(1)), category(3, Some(2)), category(4, Some(2))];
        let (ids, crumbs) = resolve_category(&tree, "c2").unwrap();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, [1, 2, 3, 4]);
        assert_eq!(crumbs.len(), 3);
        assert_eq!(crumbs.last().map(|c| c.0.as_str()), Some("c2"));
        let self_parent = [category(7, Some(7))];
        assert_eq!(resolve_category(&self_parent, "c7").unwrap().0, [7]);
    }
}
