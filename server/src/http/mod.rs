//! Plain HTTP routes, one module per business area: forms that must work before (or without) the
//! wasm, machine endpoints (webhooks, exports, documents, live events) and the PWA's files. The
//! access middleware has already applied each route's policy row before a handler runs.

pub mod catalog;
pub mod identity;
pub mod invoicing;
pub mod live;
pub mod payments;
pub mod pwa;

use app::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::Locale;

/// The one way an [`AppError`] becomes the answer of a plain route: its precise status and the
/// sentence in the person's language (internal errors were logged with the request id).
pub fn error_response(error: &AppError, locale: Locale) -> Response {
    (error.http_status(), [(header::CACHE_CONTROL, "no-store")], error.message(locale)).into_response()
}
