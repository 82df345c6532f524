//! Live prices and stock: a watcher polls the products changed since it last looked (by
//! `updated_at`, so it sees changes made by any app server, staff or a 1C import) and fans them
//! out to the open catalog and product pages over server-sent events, priced for each viewer.

use std::convert::Infallible;
use std::time::Duration;

use app::services::context::RequestInfo;
use app::services::shop;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::pricing::{ProductPrices, shelf_price};
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::AppState;
use crate::db::{Db, on_db};

/// A product whose price or stock changed.
#[derive(Debug, Clone)]
pub struct Change {
    pub id: i64,
    pub prices: ProductPrices,
    pub stock: i64,
}

/// Starts the watcher; the sender hands out subscriptions.
pub fn watch(db: Db, every: Duration) -> broadcast::Sender<Vec<Change>> {
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
            type Row = (i64, i64, i64, i64, i64, i64, DateTime<Utc>);
            let rows: Result<Vec<Row>, sqlx::Error> = on_db!(&db, pool => sqlx::query_as(
                "SELECT id, price_retail, price_wholesale, price_dealer, price_purchase, stock_total, updated_at \
                 FROM products WHERE updated_at > $1 ORDER BY updated_at LIMIT 2000")
                .bind(since).fetch_all(pool).await);
            match rows {
                Ok(rows) if !rows.is_empty() => {
                    since = rows.iter().map(|r| r.6).max().unwrap_or(since);
                    let changes = rows
                        .into_iter()
                        .map(|(id, retail, wholesale, dealer, purchase, stock, _)| Change {
                            id,
                            prices: ProductPrices { retail, wholesale, dealer, purchase },
                            stock,
                        })
                        .collect();
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
    let viewer = match shop::viewer(&app.server, &info).await {
        Ok((viewer, _)) => viewer,
        Err(e) => {
            return (axum::http::StatusCode::from_u16(e.status()).unwrap_or_default(), e.message(info.locale))
                .into_response();
        }
    };
    let rx = app.live.subscribe();
    Sse::new(stream(rx, ids, viewer)).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))).into_response()
}

fn stream(
    rx: broadcast::Receiver<Vec<Change>>,
    ids: Vec<i64>,
    viewer: app::model::shop::Viewer,
) -> impl Stream<Item = Result<Event, Infallible>> {
    futures_util::stream::unfold((rx, Vec::<Event>::new()), move |(mut rx, mut queue)| {
        let ids = ids.clone();
        let viewer = viewer.clone();
        async move {
            loop {
                if let Some(event) = queue.pop() {
                    return Some((Ok(event), (rx, queue)));
                }
                match rx.recv().await {
                    Ok(batch) => {
                        for c in batch.iter().filter(|c| ids.contains(&c.id)) {
                            let shelf = shelf_price(&c.prices, viewer.price_type, &viewer.buyer, &viewer.policy);
                            let data = serde_json::json!({ "id": c.id, "list_price": shelf.list, "price": shelf.price, "stock": c.stock });
                            queue.push(Event::default().event("product").data(data.to_string()));
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    })
}
