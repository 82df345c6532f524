//! Ordering area, plain routes: the staff queue as an Excel workbook.

use app::model::{OrderFilter, url::parse_query};
use app::services::context::{RequestInfo, acting_on_route, rate_limit};
use app::services::ordering;
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{EXPORTING, error_response};
use crate::AppState;

/// `GET /staff/orders.xlsx?<queue filter>`: every order of the queue the filter matches, within the
/// caller's reach (at most `ordering::EXPORT_ROWS`), as the queue lists them.
pub async fn export_queue(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    RawQuery(query): RawQuery,
) -> Response {
    let pairs = parse_query(&query.unwrap_or_default());
    let (filter, _) = OrderFilter::from_query(|name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    let acting = match acting_on_route(&info, "/staff/orders.xlsx") {
        Ok(acting) => acting,
        Err(e) => return error_response(&e, info.locale),
    };
    let limited = rate_limit(&app.server, &info, domain::ThrottlePolicy::EXPORTS, &format!("export:{}", info.ip)).await;
    if let Err(e) = limited {
        return error_response(&e, info.locale);
    }
    let queue = match ordering::queue_export(&app.server, &info, &acting, filter).await {
        Ok(queue) => queue,
        Err(e) => return error_response(&e, info.locale),
    };
    let _turn = EXPORTING.acquire().await;
    let locale = info.locale;
    let built = tokio::task::spawn_blocking(move || crate::xlsx::orders_workbook(&queue.rows, locale)).await;
    match built.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string())) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"orders.xlsx\""),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_response(&info.internal(e), info.locale),
    }
}
