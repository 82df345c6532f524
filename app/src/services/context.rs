//! What a server function knows about its request: shared state, the caller, and how answers
//! (status codes, cookies) are set.

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header::SET_COOKIE, request::Parts};
use domain::Locale;
use leptos::prelude::{expect_context, use_context};
use leptos_axum::ResponseOptions;

use crate::error::AppError;
use crate::model::CurrentUser;
use crate::policy::server_fn_policy;
use crate::ports::{Actor, CommerceStore, Store, StoreError};

pub const SESSION_COOKIE: &str = "kabinet_session";
pub const LANG_COOKIE: &str = "kabinet_lang";

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct ServerState {
    pub store: Arc<dyn Store>,
    pub commerce: Arc<dyn CommerceStore>,
    pub payments: Arc<dyn super::payments::PaymentProvider>,
    /// Key for hashing session tokens and one-time links.
    pub secret: Arc<Vec<u8>>,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// Base of links sent to people, e.g. `https://kabinet.example.ru`.
    pub public_url: String,
    pub session_days: i64,
}

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub session_id: i64,
    pub token_hash: String,
    pub user: CurrentUser,
}

/// What the server's middleware learned about one request; kept in the request's extensions.
#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    pub request_id: String,
    pub ip: String,
    pub user_agent: Option<String>,
    pub locale: Locale,
    pub caller: Option<Caller>,
    /// The guest cart cookie's token, if the browser has one.
    pub cart_token: Option<String>,
}

impl RequestInfo {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.caller.as_ref().map(|c| c.user.id),
            role: self.caller.as_ref().map(|c| c.user.role),
            request_id: Some(self.request_id.clone()),
        }
    }

    /// Logs a failure with this request's id and returns the error the person sees.
    pub fn internal(&self, error: impl std::fmt::Display) -> AppError {
        tracing::error!(request_id = %self.request_id, %error, "request failed");
        AppError::Internal { request_id: self.request_id.clone() }
    }

    pub fn store_error(&self, error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(field) => {
                AppError::Conflict(crate::error::FieldError::new(field, &format!("{field}.taken")))
            }
            StoreError::Other(e) => self.internal(e),
        }
    }
}

/// The request being served, as the middleware described it.
pub fn request_info() -> RequestInfo {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<RequestInfo>().cloned()).unwrap_or_default()
}

pub fn server_state() -> ServerState {
    expect_context::<ServerState>()
}

/// The first line of every server function: who calls, and may they call `path`.
pub fn authorize(path: &str) -> Result<(ServerState, RequestInfo), AppError> {
    let info = request_info();
    let Some(policy) = server_fn_policy(path) else {
        tracing::error!(path, "server function without a policy refused");
        return Err(reply_error(AppError::Forbidden));
    };
    let role = info.caller.as_ref().map(|c| c.user.role);
    if !policy.access.allows(role) {
        let e = if role.is_none() { AppError::Unauthenticated } else { AppError::Forbidden };
        return Err(reply_error(e));
    }
    Ok((server_state(), info))
}

/// Like [`authorize`] for functions that need a signed-in caller.
pub fn authorize_caller(path: &str) -> Result<(ServerState, RequestInfo, Caller), AppError> {
    let (state, info) = authorize(path)?;
    let caller = info.caller.clone().ok_or_else(|| reply_error(AppError::Unauthenticated))?;
    Ok((state, info, caller))
}

/// Sets the HTTP status that matches the error, so machines get a precise 4xx.
pub fn reply_error(e: AppError) -> AppError {
    if let Some(options) = use_context::<ResponseOptions>() {
        options.set_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    }
    e
}

pub fn reply<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    result.map_err(reply_error)
}

pub fn append_cookie(cookie: String) {
    if let (Some(options), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        options.append_header(SET_COOKIE, value);
    }
}

pub fn session_cookie(state: &ServerState, token: &str) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let max_age = state.session_days * 24 * 3600;
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub fn clear_session_cookie(state: &ServerState) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

pub fn lang_cookie(state: &ServerState, locale: Locale) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", locale.code())
}

/// The value of one cookie from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.trim())
}
