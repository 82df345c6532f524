//! Catalog area, plain routes: the Excel export of the current view; and the catalog's pages as
//! guests see them, kept for a few seconds.

use app::services::catalog;
use app::services::context::{RequestInfo, rate_limit};
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{EXPORTING, error_response};
use crate::AppState;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::services::context::ScriptNonce;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use chrono::{DateTime, Utc};
use domain::Locale;

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

/// How long a guest's catalog or product page is served again without rendering it: as long as
/// the categories and the discount policy are kept (`db::catalog::Memo`), so a page is never
/// older than what a fresh render could show by more than that; a change of any price, stock or
/// product moves the catalog's version and retires the pages at once.
const KEEP_FOR: Duration = Duration::from_secs(5);
/// Pages kept at most (about 50 KB each); past it the oldest half goes.
const MAX_PAGES: usize = 256;
/// Addresses longer than this are rendered, not kept.
const MAX_ADDRESS: usize = 512;
/// A page larger than this is sent, not kept.
const MAX_PAGE: usize = 512 << 10;

/// The catalog's pages (`/catalog?…`, `/catalog/{id}`) as a guest sees them, by address and
/// language, at the catalog's version. Everything on them is the same for every guest but the
/// script nonce, which is cut out when a page is kept and filled in afresh for each answer.
#[derive(Default)]
pub struct GuestPages {
    pages: Mutex<HashMap<(Locale, String), GuestPage>>,
}

struct GuestPage {
    kept: Instant,
    version: Option<DateTime<Utc>>,
    content_type: HeaderValue,
    /// The page's text around the places its nonce stood.
    pieces: Vec<Bytes>,
}

impl GuestPage {
    fn answer(&self, nonce: &str) -> Response {
        let length = self.pieces.iter().map(Bytes::len).sum::<usize>() + nonce.len() * self.pieces.len();
        let mut body = Vec::with_capacity(length);
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(nonce.as_bytes());
            }
            body.extend_from_slice(piece);
        }
        ([(header::CONTENT_TYPE, self.content_type.clone())], Body::from(body)).into_response()
    }

    /// A rendered page cut at its nonce; `None` when it cannot be kept as it is.
    fn cut(body: &Bytes, nonce: &str, content_type: HeaderValue, version: Option<DateTime<Utc>>) -> Option<Self> {
        let text = std::str::from_utf8(body).ok()?;
        if body.len() > MAX_PAGE || nonce.is_empty() {
            return None;
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        for (at, _) in text.match_indices(nonce) {
            pieces.push(body.slice(start..at));
            start = at + nonce.len();
        }
        pieces.push(body.slice(start..));
        Some(GuestPage { kept: Instant::now(), version, content_type, pieces })
    }
}

impl GuestPages {
    fn get(&self, key: &(Locale, String), version: Option<DateTime<Utc>>, nonce: &str) -> Option<Response> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        let page = pages.get(key).filter(|p| p.version == version && p.kept.elapsed() < KEEP_FOR)?;
        Some(page.answer(nonce))
    }

    fn put(&self, key: (Locale, String), page: GuestPage) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.retain(|_, p| p.kept.elapsed() < KEEP_FOR && p.version == page.version);
        if pages.len() >= MAX_PAGES {
            let mut ages: Vec<Instant> = pages.values().map(|p| p.kept).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            pages.retain(|_, p| p.kept > cut);
        }
        pages.insert(key, page);
    }
}

fn is_catalog_page(path: &str) -> bool {
    path == "/catalog"
        || path.strip_prefix("/catalog/").is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// Serves a guest's catalog and product pages from [`GuestPages`] while the catalog's version
/// stands (and for at most [`KEEP_FOR`]), and keeps what it renders. Signed-in people, other
/// methods and paths, answers other than 200 and answers that set a cookie go by untouched.
pub async fn guest_pages(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET || !is_catalog_page(req.uri().path()) {
        return next.run(req).await;
    }
    let guest_locale =
        req.extensions().get::<RequestInfo>().filter(|info| info.caller.is_none()).map(|info| info.locale);
    let nonce = req.extensions().get::<ScriptNonce>().map(|n| n.0.clone());
    let address = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or_default();
    let (Some(locale), Some(nonce), true) = (guest_locale, nonce, address.len() <= MAX_ADDRESS) else {
        return next.run(req).await;
    };
    let address = address.to_string();
    let Ok(version) = app.server.store.catalog_version().await else { return next.run(req).await };
    let key = (locale, address);
    if let Some(answer) = app.guest_pages.get(&key, version, &nonce) {
        return answer;
    }
    let response = next.run(req).await;
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && content_type.as_ref().and_then(|t| t.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    let (Some(content_type), true) = (content_type, keep) else { return response };
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(page) = GuestPage::cut(&bytes, &nonce, content_type, version) {
        app.guest_pages.put(key, page);
    }
    Response::from_parts(parts, Body::from(bytes))
}
