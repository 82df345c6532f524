//! Per-request context: request id, client address, session, language, and the access policy
//! applied to every path before any handler runs.

use std::net::{IpAddr, SocketAddr};

use app::error::AppError;
use app::policy::{Access, Kind, policy_for};
use app::services::context::{Caller, LANG_COOKIE, RequestInfo, SESSION_COOKIE, ScriptNonce, cookie_value};
use app::services::crypto::{random_token, token_hash};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::Locale;
use tracing::Instrument;

use crate::AppState;
use crate::config::IpRange;
use crate::http::redirect;

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

    // Anything that changes state must come from our own pages (the session cookie is also
    // SameSite=Lax). Providers' webhooks are machines: their signature is their proof.
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state && !path.starts_with("/webhooks/") {
        let peer_trusted = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|ConnectInfo(a)| app.trusted_proxies.iter().any(|r| r.contains(a.ip())));
        let https_proxy = peer_trusted
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.eq_ignore_ascii_case("https"));
        if !same_origin(&app, headers, https_proxy) {
            let refusal = AppError::Forbidden;
            return Decision::Answer(if path.starts_with("/api/") {
                api_error(refusal)
            } else {
                (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
            });
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
        return Decision::Answer(redirect(None, "/home"));
    }
    if policy.access.allows(role) {
        return Decision::Proceed;
    }
    if !signed_in && policy.kind == Kind::Page {
        let next = app::model::url::encode(&path);
        return Decision::Answer(redirect(Some(&format!("/login?next={next}")), "/login"));
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
    let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return "unknown".into();
    };
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    client_address(peer.ip(), forwarded, &app.trusted_proxies).to_string()
}

/// The client behind a chain of proxies: `X-Forwarded-For` is believed only when the connection
/// comes from a trusted proxy, and then read from the right (each proxy appends the address it
/// saw); the first address that is not a trusted proxy is the client. Whatever a client writes
/// into the header itself stands to the left of that and is never taken.
pub fn client_address(peer: IpAddr, forwarded: Option<&str>, trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    let mut client = peer;
    if !is_trusted(peer) {
        return client;
    }
    for entry in forwarded.unwrap_or_default().rsplit(',') {
        let entry = entry.trim();
        let Some(ip) = entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip())) else {
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// Whether a state-changing request comes from one of our own pages: its `Origin` (or, when a
/// browser sends none, its `Referer`) must be this site — scheme, host and port — as configured
/// (`KABINET_PUBLIC_URL`) or as the request reached us (`Host`, over HTTPS when cookies are
/// secure or a trusted proxy says so). A request with neither header is refused too.
fn same_origin(app: &AppState, headers: &axum::http::HeaderMap, behind_https_proxy: bool) -> bool {
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let Some(source) = header(header::ORIGIN).filter(|o| *o != "null").map(str::to_string).or_else(|| {
        let referer = header(header::REFERER)?;
        let (scheme, rest) = referer.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        Some(format!("{scheme}://{authority}"))
    }) else {
        return false;
    };
    let Some(source) = origin_of(&source) else { return false };
    let scheme = if app.server.secure_cookies || behind_https_proxy { "https" } else { "http" };
    let by_host = header(header::HOST).and_then(|host| origin_of(&format!("{scheme}://{host}")));
    let configured = origin_of(&app.server.public_url);
    Some(&source) == by_host.as_ref() || Some(&source) == configured.as_ref()
}

/// `(scheme, host, port)` of an origin or URL, the port filled in for http and https.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') || authority.is_empty() {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':').filter(|(h, p)| !p.contains(']') && !h.is_empty()) {
        Some((h, p)) => (h, p.parse::<u16>().ok()?),
        None => (
            authority,
            if scheme == "https" {
                443
            } else if scheme == "http" {
                80
            } else {
                return None;
            },
        ),
    };
    Some((scheme, host.to_ascii_lowercase(), port))
}

/// Server functions that take a file (multipart).
const UPLOAD_ENDPOINTS: &[&str] = &["/api/quick_order_file"];
/// An uploaded order file (.xlsx/.csv) and the form around it.
pub const UPLOAD_LIMIT: u64 = 4 << 20;
/// A server function's arguments: forms, never files.
pub const SERVER_FN_LIMIT: u64 = 256 << 10;
/// Plain form posts and providers' webhooks.
pub const FORM_LIMIT: u64 = 64 << 10;
/// A refused body is read and dropped up to this much, so the client reads the answer instead of a
/// reset connection; past it the connection is closed.
const DRAIN_AT_MOST: u64 = 16 << 20;

/// Bounds every request body before anything parses or buffers it, and checks that a server
/// function receives a form it reads: a body over the endpoint's limit is answered 413, a file
/// upload whose `multipart/form-data` header does not parse exactly as the multipart codec parses
/// it, or a server function sent anything but a form or JSON, 415 — server functions in the error
/// shape their clients decode.
pub async fn guard_body(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let upload = UPLOAD_ENDPOINTS.contains(&path);
    let server_fn = path.starts_with("/api/");
    let limit = if upload {
        UPLOAD_LIMIT
    } else if server_fn {
        SERVER_FN_LIMIT
    } else {
        FORM_LIMIT
    };
    let refuse = |error: AppError, req: Request| async move {
        drain(req.into_body()).await;
        if server_fn { api_error(error) } else { error.http_status().into_response() }
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let readable = if upload {
        // RFC 2046: a boundary is 1 to 70 characters.
        media == "multipart/form-data"
            && multer::parse_boundary(content_type).is_ok_and(|b| (1..=70).contains(&b.len()))
    } else if server_fn {
        // What server functions send; `text/plain` is how a cross-site page posts without asking.
        matches!(media.as_str(), "application/x-www-form-urlencoded" | "application/json")
    } else {
        true
    };
    if !readable {
        return refuse(AppError::UnsupportedMedia, req).await;
    }
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return refuse(AppError::TooLarge { limit }, req).await;
    }
    // No or a false length (chunked): read at most the limit, then hand the bytes on.
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, limit as usize).await {
        Ok(bytes) => next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await,
        Err(_) if server_fn => api_error(AppError::TooLarge { limit }),
        Err(_) => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    }
}

/// Reads and drops what the client is still sending, up to [`DRAIN_AT_MOST`].
async fn drain(body: axum::body::Body) {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut read = 0u64;
    while read < DRAIN_AT_MOST
        && let Ok(Some(Ok(chunk))) = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await
    {
        read += chunk.len() as u64;
    }
}

/// Headers every answer carries: a Content-Security-Policy, no MIME sniffing, no framing,
/// referrers only to this site in full, and HSTS when Kabinet is served over HTTPS
/// (`KABINET_SECURE_COOKIES=1`). Each answer gets a fresh script nonce before it is rendered
/// ([`ScriptNonce`], which the pages put on every inline script they carry); an HTML page's policy
/// allows the inline scripts with that nonce and nothing else inline. The page is not buffered or
/// read for it.
pub async fn security_headers(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce: std::sync::Arc<str> = random_token()[..32].into();
    req.extensions_mut().insert(ScriptNonce(nonce.clone()));
    let mut response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let inline = if html { format!("'nonce-{nonce}'") } else { String::new() };
        if let Ok(policy) = HeaderValue::from_str(&app::content_security_policy(&inline)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if app.server.secure_cookies {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

/// The longest a request may take (live event streams excepted): an answer that is not ready by
/// then is a 503 and the connection is freed, instead of a client waiting forever on a stuck one.
pub const REQUEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

pub async fn time_limit(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/events/") {
        return next.run(req).await;
    }
    match tokio::time::timeout(REQUEST_TIME_LIMIT, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(%path, "request took longer than the limit; answered 503");
            let refusal = AppError::Transport("the server took too long".into());
            let mut answer = if path.starts_with("/api/") {
                api_error(refusal)
            } else {
                (StatusCode::SERVICE_UNAVAILABLE, "the server took too long; please try again").into_response()
            };
            *answer.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            answer
        }
    }
}
