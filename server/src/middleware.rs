//! Per-request context: request id, client address, session, language, and the access policy
//! applied to every path before any handler runs.

use std::net::SocketAddr;

use app::error::AppError;
use app::policy::{Access, Kind, policy_for};
use app::services::context::{Caller, LANG_COOKIE, RequestInfo, SESSION_COOKIE, cookie_value};
use app::services::crypto::{random_token, token_hash};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::Locale;
use tracing::Instrument;

use crate::AppState;

pub async fn request_context(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| random_token()[..16].to_string());
    let span = tracing::info_span!("request", id = %request_id, method = %req.method(), path = %req.uri().path());
    async move {
        let started = std::time::Instant::now();
        let is_api = req.uri().path().starts_with("/api/");
        let mut response = match decide(app, request_id.clone(), &mut req).await {
            Decision::Proceed => next.run(req).await,
            Decision::Answer(response) => response,
        };
        if is_api && response.status() == StatusCode::INTERNAL_SERVER_ERROR {
            response = precise_status(response).await;
        }
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert("x-request-id", v);
        }
        tracing::info!(status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "served");
        response
    }
    .instrument(span)
    .await
}

/// Server functions fail with 500 whatever the error; the error itself knows its status
/// (422 for bad input, 404, …), so machines get a precise code.
async fn precise_status(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error body unreadable").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.http_status();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A refusal in the form server-function clients decode.
fn api_error(error: AppError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_default();
    (error.http_status(), [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

enum Decision {
    Proceed,
    Answer(Response),
}

async fn decide(app: AppState, request_id: String, req: &mut Request) -> Decision {
    let path = req.uri().path().to_string();
    let headers = req.headers();

    // Forms must come from our own pages: a cross-site POST is refused (the cookie is also SameSite=Lax).
    if req.method() == Method::POST
        && let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    {
        let origin = origin.to_str().unwrap_or_default();
        let host = host.to_str().unwrap_or_default();
        let same = origin.split_once("://").is_some_and(|(_, rest)| rest == host);
        if !same {
            return Decision::Answer((StatusCode::FORBIDDEN, "cross-site request refused").into_response());
        }
    }

    let ip = client_ip(&app, req);
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let caller = match cookie_value(&cookies, SESSION_COOKIE).filter(|t| t.len() == 64) {
        Some(token) => {
            let hash = token_hash(&app.server.secret, token);
            match app.server.store.session_user(&hash, Utc::now()).await {
                Ok(found) => found.map(|(session_id, user)| Caller { session_id, token_hash: hash, user }),
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    return Decision::Answer((StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response());
                }
            }
        }
        None => None,
    };
    let locale = cookie_value(&cookies, LANG_COOKIE)
        .and_then(Locale::parse)
        .or_else(|| caller.as_ref().map(|c| c.user.locale))
        .unwrap_or_else(|| {
            Locale::from_accept_language(
                headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default(),
            )
        });
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
    let role = caller.as_ref().map(|c| c.user.role);
    let signed_in = caller.is_some();
    let cart_token = cookie_value(&cookies, app::services::cart::CART_COOKIE)
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_string);
    req.extensions_mut().insert(RequestInfo { request_id, ip, user_agent, locale, caller, cart_token });

    let Some(policy) = policy_for(&path) else {
        // Unknown API paths are refused; other unknown paths get the application's 404 page.
        return if path.starts_with("/api/") {
            Decision::Answer(api_error(AppError::NotFound))
        } else {
            Decision::Proceed
        };
    };
    if policy.access == Access::Guest && signed_in && req.method() == Method::GET {
        return Decision::Answer(Redirect::to("/home").into_response());
    }
    if policy.access.allows(role) {
        return Decision::Proceed;
    }
    if !signed_in && policy.kind == Kind::Page {
        let next = app::model::url::encode(&path);
        return Decision::Answer(Redirect::to(&format!("/login?next={next}")).into_response());
    }
    let status = if signed_in { StatusCode::FORBIDDEN } else { StatusCode::UNAUTHORIZED };
    Decision::Answer(match policy.kind {
        Kind::Page => (status, axum::response::Html(forbidden_page(locale))).into_response(),
        Kind::ServerFn if signed_in => api_error(AppError::Forbidden),
        Kind::ServerFn => api_error(AppError::Unauthenticated),
        Kind::Route => status.into_response(),
    })
}

fn forbidden_page(locale: Locale) -> String {
    let t = app::i18n::texts(locale);
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><body style=\"font-family:sans-serif;padding:2rem\"><p>{}</p><p><a href=\"/home\">{}</a></p></body></html>",
        locale.code(),
        t.app_name,
        t.err_forbidden,
        t.to_home
    )
}

fn client_ip(app: &AppState, req: &Request) -> String {
    if app.trust_proxy
        && let Some(forwarded) = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next().map(str::trim).filter(|s| !s.is_empty())
    {
        return first.to_string();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
