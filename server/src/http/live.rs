//! Live prices and stock: a watcher polls the products changed since it last looked (by
//! `updated_at`, so it sees changes made by any app server, staff or a 1C import) and fans them
//! out to the open catalog and product pages over server-sent events, priced for each viewer.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::model::LiveUpdate;
use app::services::catalog;
use app::services::context::RequestInfo;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::pricing::shelf_price;
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::AppState;
use crate::db::{ProductChange, SqlStore};

/// Starts the watcher; the sender hands out subscriptions.
pub fn watch(store: Arc<SqlStore>, every: Duration) -> broadcast::Sender<Vec<ProductChange>> {
    let (tx, _) = broadcast::channel(64);
    let sender = tx.clone();
    tokio::spawn(async move {
        let mut since: DateTime<Utc> = Utc::now();
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if sender.receiver_count() == 0 {
                since = Utc::now();
                continue;
            }
            match store.products_changed_since(since).await {
                Ok(changes) if !changes.is_empty() => {
                    since = changes.iter().map(|c| c.updated_at).max().unwrap_or(since);
                    let _ = sender.send(changes);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "live updates: polling failed"),
            }
        }
    });
    tx
}

#[derive(Deserialize)]
pub struct Watched {
    #[serde(default)]
    ids: String,
}

/// `GET /events/products?ids=1,2,3`: events named `product` with `{id, list_price, price, stock}`
/// for the viewer whenever one of these products changes.
pub async fn product_events(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Query(watched): Query<Watched>,
) -> Response {
    let ids: Vec<i64> = watched.ids.split(',').filter_map(|s| s.trim().parse().ok()).take(200).collect();
    let viewer = match catalog::viewer(&app.server, &info).await {
        Ok((viewer, _)) => viewer,
        Err(e) => return super::error_response(&e, info.locale),
    };
    let rx = app.live.subscribe();
    let session = info.caller.as_ref().map(|c| c.token_hash.clone());
    let watcher = Watcher { store: app.server.store.clone(), session };
    Sse::new(stream(rx, ids, viewer, watcher))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

/// Whose prices a stream carries: a signed-in viewer's only while their session lasts. When it
/// ends (sign-out, expiry, revocation) the stream ends, and the browser's reconnect is served to
/// whoever it is now — a guest gets guest prices.
struct Watcher {
    store: Arc<dyn app::ports::Store>,
    session: Option<String>,
}

impl Watcher {
    async fn still_signed_in(&self) -> bool {
        match &self.session {
            None => true,
            Some(hash) => matches!(self.store.session_user(hash, Utc::now()).await, Ok(Some(_))),
        }
    }
}

fn stream(
    rx: broadcast::Receiver<Vec<ProductChange>>,
    ids: Vec<i64>,
    viewer: app::model::Viewer,
    watcher: Watcher,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let watcher = Arc::new(watcher);
    futures_util::stream::unfold((rx, Vec::<Event>::new()), move |(mut rx, mut queue)| {
        let ids = ids.clone();
        let viewer = viewer.clone();
        let watcher = watcher.clone();
        async move {
            loop {
                if let Some(event) = queue.pop() {
                    return Some((Ok(event), (rx, queue)));
                }
                match rx.recv().await {
                    Ok(batch) => {
                        let relevant = batch.iter().any(|c| ids.contains(&c.id));
                        if relevant && !watcher.still_signed_in().await {
                            return None;
                        }
                        for c in batch.iter().filter(|c| ids.contains(&c.id)) {
                            let shelf = shelf_price(&c.prices, viewer.price_type, &viewer.buyer, &viewer.policy);
                            let update =
                                LiveUpdate { id: c.id, list_price: shelf.list, price: shelf.price, stock: c.stock };
                            if let Ok(event) = Event::default().event("product").json_data(update) {
                                queue.push(event);
                            }
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    })
}
