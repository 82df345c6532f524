//! Ordering area, plain routes: the staff queue as an Excel workbook; an order's progress live
//! for its buyer's open page (a watcher polls the orders changed since it last looked, so it sees
//! changes made on any app server, and wakes the streams of those orders).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::error::AppError;
use app::model::{OrderFilter, url::parse_query};
use app::services::context::{RequestInfo, acting_on_route, rate_limit};
use app::services::ordering;
use axum::Extension;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use tokio::sync::broadcast;

use super::{EXPORTING, error_response};
use crate::AppState;
use crate::db::SqlStore;

/// Starts the watcher; each message is the ids of the orders that changed.
pub fn watch(store: Arc<SqlStore>, every: Duration) -> broadcast::Sender<Arc<Vec<i64>>> {
    let (tx, _) = broadcast::channel(64);
    let sender = tx.clone();
    tokio::spawn(async move {
        let mut since: DateTime<Utc> = Utc::now();
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if sender.receiver_count() == 0 {
                since = Utc::now();
                continue;
            }
            match store.orders_changed_since(since).await {
                Ok(changed) if !changed.is_empty() => {
                    since = changed.iter().map(|c| c.1).max().unwrap_or(since);
                    let _ = sender.send(Arc::new(changed.into_iter().map(|c| c.0).collect()));
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "live orders: polling failed"),
            }
        }
    });
    tx
}

/// `GET /events/orders/:id`: events named `progress` with the order's [`app::model::OrderProgress`]
/// (status, payment, picked and shipped shares), at once and whenever it changes; for an order of
/// the caller's organisation, while their session lasts.
pub async fn order_events(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Response {
    let reach = match acting_on_route(&info, uri.path()).and_then(|acting| acting.reach()) {
        Ok(reach) => reach,
        Err(e) => return error_response(&e, info.locale),
    };
    let (Some(caller), Ok(id)) = (info.caller.clone(), id.parse::<i64>()) else {
        return error_response(&AppError::NotFound, info.locale);
    };
    let store = app.server.store.clone();
    match store.order(id, &reach).await {
        Ok(Some(_)) => {}
        Ok(None) => return error_response(&AppError::NotFound, info.locale),
        Err(e) => return error_response(&info.store_error(e), info.locale),
    }
    let rx = app.orders.subscribe();
    let state = (rx, None::<app::model::OrderProgress>, true);
    let stream = futures_util::stream::unfold(state, move |(mut rx, mut sent, mut first)| {
        let store = store.clone();
        let session = caller.token_hash.clone();
        async move {
            loop {
                if !first {
                    match rx.recv().await {
                        Ok(ids) if !ids.contains(&id) => continue,
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                    if !matches!(store.session_user(&session, Utc::now()).await, Ok(Some(_))) {
                        return None;
                    }
                }
                first = false;
                let Ok(Some(order)) = store.order(id, &reach).await else { continue };
                let progress = order.progress();
                if sent.as_ref() == Some(&progress) {
                    continue;
                }
                let Ok(event) = Event::default().event("progress").json_data(&progress) else { continue };
                sent = Some(progress);
                return Some((Ok::<Event, Infallible>(event), (rx, sent, first)));
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))).into_response()
}

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
