//! Notifications area, plain routes: the live bell. A watcher polls the newest notification's id
//! (so it sees notifications made by any app server) and wakes the open streams; each stream sends
//! its person's unread count whenever it changes, and ends with their session.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use app::error::AppError;
use app::ports::Store;
use app::services::context::RequestInfo;
use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use tokio::sync::broadcast;

use crate::AppState;

/// Starts the watcher; the sender hands out subscriptions (each message: the newest id).
pub fn watch(store: Arc<dyn Store>, every: Duration) -> broadcast::Sender<i64> {
    let (tx, _) = broadcast::channel(16);
    let sender = tx.clone();
    tokio::spawn(async move {
        let mut last = 0;
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if sender.receiver_count() == 0 {
                continue;
            }
            match store.latest_notification().await {
                Ok(id) if id != last => {
                    last = id;
                    let _ = sender.send(id);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "live bell: polling failed"),
            }
        }
    });
    tx
}

/// `GET /events/notifications`: events named `unread` with the signed-in person's unread count,
/// at once and whenever it changes.
pub async fn bell_events(State(app): State<AppState>, Extension(info): Extension<RequestInfo>) -> Response {
    let Some(caller) = info.caller.clone() else {
        return super::error_response(&AppError::Unauthenticated, info.locale);
    };
    let rx = app.bell.subscribe();
    let store = app.server.store.clone();
    let state = (rx, store, caller.user.id, caller.token_hash, None::<(i64, i64)>, true);
    let stream =
        futures_util::stream::unfold(state, |(mut rx, store, user, session, mut sent, mut first)| async move {
            loop {
                if !first {
                    match rx.recv().await {
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                    if !matches!(store.session_user(&session, Utc::now()).await, Ok(Some(_))) {
                        return None;
                    }
                }
                first = false;
                // Sent again when the person has a new notification, even if the count is what
                // was sent last (the page may have marked some read since).
                let (Ok(count), Ok(newest)) =
                    (store.unread_count(user).await, store.notifications(user, None, 1).await)
                else {
                    continue;
                };
                let seen = (count, newest.first().map_or(0, |n| n.id));
                if sent == Some(seen) {
                    continue;
                }
                sent = Some(seen);
                let event = Event::default().event("unread").data(count.to_string());
                return Some((Ok::<Event, Infallible>(event), (rx, store, user, session, sent, first)));
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))).into_response()
}
