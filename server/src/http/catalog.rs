//! Catalog area, plain routes: the Excel export of the current view.

use app::services::catalog;
use app::services::context::RequestInfo;
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error_response;
use crate::AppState;

/// `GET /export/catalog.xlsx?<catalog query>`: the current filtered view (or the whole catalog)
/// with the viewer's prices and stock.
pub async fn export_catalog(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let rows = match catalog::export_rows(&app.server, &info, &query).await {
        Ok(rows) => rows,
        Err(e) => return error_response(&e, info.locale),
    };
    match crate::xlsx::catalog_workbook(&rows, info.locale) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"catalog.xlsx\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_response(&info.internal(e), info.locale),
    }
}
