//! Plain HTTP routes, one module per business area: forms that must work before (or without) the
//! wasm, machine endpoints (webhooks, exports, documents, live events) and the PWA's files. The
//! access middleware has already applied each route's policy row before a handler runs.

pub mod assets;
pub mod catalog;
pub mod identity;
pub mod invoicing;
pub mod live;
pub mod notifications;
pub mod ordering;
pub mod payments;
pub mod pwa;

use app::error::AppError;
use app::model::url::local_path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Locale;

/// Workbooks being built at once, process-wide (each holds its rows and the file in memory).
pub(crate) static EXPORTING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The one way an [`AppError`] becomes the answer of a plain route: its precise status and the
/// sentence in the person's language (internal errors were logged with the request id).
pub fn error_response(error: &AppError, locale: Locale) -> Response {
    (error.http_status(), [(header::CACHE_CONTROL, "no-store")], error.message(locale)).into_response()
}

/// The one way a plain route (or the access middleware) redirects: `303 See Other` to `candidate`
/// when it is a path on this site ([`local_path`]: no control characters, backslashes or `//`),
/// otherwise to `fallback`. Never panics on what a person typed into a `next` or `back` parameter.
pub fn redirect(candidate: Option<&str>, fallback: &'static str) -> Response {
    let target = candidate.and_then(local_path);
    let location = target.and_then(|t| HeaderValue::from_str(&t).ok()).unwrap_or(HeaderValue::from_static(fallback));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}
