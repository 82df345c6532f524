//! The one error type of server functions, and how it reads in each language.

use domain::{ErrorCode, Locale};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A field of a form and the stable code of what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> Self {
        Self { field: field.into(), code: code.into() }
    }

    pub fn from_domain(field: &str, e: &impl ErrorCode) -> Self {
        Self::new(field, e.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// A unique value is already taken, or the state changed under the caller.
    #[error("conflict: {}", .0.code)]
    Conflict(FieldError),
    #[error("too many attempts, wait {seconds} s")]
    TooManyAttempts { seconds: i64 },
    /// The body is larger than this endpoint takes (`limit` bytes).
    #[error("request too large (limit {limit} bytes)")]
    TooLarge { limit: u64 },
    /// The body is not in a form this endpoint reads.
    #[error("unsupported content type")]
    UnsupportedMedia,
    /// Logged on the server with this request id; the details are not shown.
    #[error("internal error, request {request_id}")]
    Internal { request_id: String },
    /// The request did not reach the server or its answer could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, code: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, code)])
    }

    /// The message for one field, if this error names it.
    pub fn field_code(&self, field: &str) -> Option<&str> {
        match self {
            Self::Validation(errors) => errors.iter().find(|e| e.field == field).map(|e| e.code.as_str()),
            Self::Conflict(e) if e.field == field => Some(e.code.as_str()),
            _ => None,
        }
    }

    /// The HTTP status a machine receives.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::Conflict(_) => 409,
            Self::TooManyAttempts { .. } => 429,
            Self::TooLarge { .. } => 413,
            Self::UnsupportedMedia => 415,
            Self::Internal { .. } | Self::Transport(_) => 500,
        }
    }

    /// The HTTP status as axum sends it: the one conversion every answer on the server uses.
    #[cfg(feature = "ssr")]
    pub fn http_status(&self) -> axum::http::StatusCode {
        axum::http::StatusCode::from_u16(self.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// A sentence for the person, in their language.
    pub fn message(&self, locale: Locale) -> String {
        let t = crate::i18n::texts(locale);
        match self {
            Self::Unauthenticated => t.err_unauthenticated.into(),
            Self::Forbidden => t.err_forbidden.into(),
            Self::NotFound => t.err_not_found.into(),
            Self::Validation(_) => t.err_validation.into(),
            Self::Conflict(e) => crate::i18n::code_message(locale, &e.code),
            Self::TooManyAttempts { seconds } => crate::i18n::wait_message(locale, *seconds),
            Self::TooLarge { limit } => crate::i18n::too_large_message(locale, *limit),
            Self::UnsupportedMedia => t.err_unsupported_media.into(),
            Self::Internal { request_id } => format!("{} ({request_id})", t.err_internal),
            Self::Transport(_) => t.err_transport.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request's arguments could not be read: the caller sent something malformed.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::field("request", "request.malformed"),
            other => Self::Transport(other.to_string()),
        }
    }
}
