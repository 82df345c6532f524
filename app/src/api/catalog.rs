//! Catalog area, server functions: search, product pages, staff price and stock changes.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CatalogPage, ProductPage};

/// One catalog page for a query string (`q=…&cat=…&brand=…`, see `SearchParams::from_pairs`),
/// priced for the caller.
#[server(endpoint = "search_catalog")]
pub async fn search_catalog(query: String) -> Result<CatalogPage, AppError> {
    use crate::services::{catalog, context::*};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(catalog::search(&state, &info, &query).await)
}

#[server(endpoint = "get_product")]
pub async fn get_product(id: i64) -> Result<ProductPage, AppError> {
    use crate::services::{catalog, context::*};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(catalog::product_page(&state, &info, id).await)
}

/// Staff: a product's prices (roubles, per price type) and the available quantity at one
/// location. Open catalog and product pages show the change within a second.
#[server(endpoint = "set_price_stock")]
pub async fn set_price_stock(
    product_id: i64,
    retail: String,
    wholesale: String,
    dealer: String,
    location_id: i64,
    quantity: String,
) -> Result<(), AppError> {
    use crate::services::{catalog, context::*};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(
        catalog::set_price_stock(&state, &info, product_id, [&retail, &wholesale, &dealer], location_id, &quantity)
            .await,
    )
}
