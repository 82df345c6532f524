//! Catalog area, plain routes: the Excel export of the current view.

use app::services::catalog;
use app::services::context::{RequestInfo, rate_limit};
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{EXPORTING, error_response};
use crate::AppState;

/// `GET /export/catalog.xlsx?<catalog query>`: the current filtered view (or the whole catalog)
/// with the viewer's prices and stock.
pub async fn export_catalog(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    // Up to 100 000 rows: limited per address, one workbook built at a time, off the async threads.
    let limited = rate_limit(&app.server, &info, domain::ThrottlePolicy::EXPORTS, &format!("export:{}", info.ip)).await;
    if let Err(e) = limited {
        return error_response(&e, info.locale);
    }
    let rows = match catalog::export_rows(&app.server, &info, &query).await {
        Ok(rows) => rows,
        Err(e) => return error_response(&e, info.locale),
    };
    let _turn = EXPORTING.acquire().await;
    let locale = info.locale;
    let built = tokio::task::spawn_blocking(move || crate::xlsx::catalog_workbook(&rows, locale)).await;
    match built.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string())) {
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
