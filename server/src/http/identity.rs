//! Plain HTTP routes: forms that must work before (or without) the wasm, and machine endpoints.

use app::error::AppError;
use app::services::context::{RequestInfo, clear_session_cookie, lang_cookie, session_cookie};
use app::services::identity;
use axum::Extension;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Locale;
use serde::Deserialize;

use super::redirect;
use crate::AppState;
use app::model::url::encode;

fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// The query string that carries an error back to the form page.
fn error_query(e: &AppError) -> String {
    match e {
        AppError::TooManyAttempts { seconds } => format!("wait={seconds}"),
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| format!("error={}", encode(&format!("{}:{}", f.field, f.code))))
            .collect::<Vec<_>>()
            .join("&"),
        AppError::Conflict(f) => format!("error={}", encode(&format!("{}:{}", f.field, f.code))),
        _ => format!("error={}", encode("form:server.internal")),
    }
}

pub async fn root(Extension(info): Extension<RequestInfo>) -> Response {
    redirect(None, if info.caller.is_some() { "/home" } else { "/login" })
}

pub async fn healthz(State(app): State<AppState>) -> Response {
    match app.server.store.ping().await {
        Ok(()) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Form(form): Form<LoginForm>,
) -> Response {
    match identity::sign_in(&app.server, &info, &form.identifier, &form.password).await {
        Ok(signed_in) => with_cookies(
            redirect(form.next.as_deref(), identity::home_path(signed_in.user.role)),
            &[session_cookie(&app.server, &signed_in.token), lang_cookie(&app.server, signed_in.user.locale)],
        ),
        Err(e) => {
            let next = form.next.as_deref().map(|n| format!("&next={}", encode(n))).unwrap_or_default();
            let url = format!("/login?{}&identifier={}{next}", error_query(&e), encode(form.identifier.trim()));
            redirect(Some(&url), "/login")
        }
    }
}

pub async fn logout(State(app): State<AppState>, Extension(info): Extension<RequestInfo>) -> Response {
    if let Err(e) = identity::sign_out(&app.server, &info).await {
        tracing::error!(error = %e, "sign-out failed");
    }
    with_cookies(redirect(None, "/login"), &[clear_session_cookie(&app.server)])
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

/// The registration form's "get a code" button without JavaScript: sends the code and comes back
/// to the form with the name and phone kept (a password is never put into an address).
pub async fn phone_code(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Form(form): Form<RegisterForm>,
) -> Response {
    let kept = format!("name={}&phone={}", encode(form.name.trim()), encode(form.phone.trim()));
    let url = match identity::phone::send_code(&app.server, &info, &form.phone, "phone").await {
        Ok(sent) => {
            let sandbox = sent.sandbox_code.map(|c| format!("&sandbox={c}")).unwrap_or_default();
            format!("/register?{kept}&sent={}&minutes={}{sandbox}", encode(&sent.phone), sent.minutes)
        }
        Err(e) => format!("/register?{}&{kept}", error_query(&e)),
    };
    redirect(Some(&url), "/register")
}

pub async fn register(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Form(form): Form<RegisterForm>,
) -> Response {
    match identity::register(&app.server, &info, &form.name, &form.phone, &form.code, &form.password).await {
        Ok(signed_in) => with_cookies(
            redirect(None, identity::home_path(signed_in.user.role)),
            &[session_cookie(&app.server, &signed_in.token)],
        ),
        Err(e) => {
            // Whoever typed a code had one sent, and it stays usable: the form keeps its place
            // after the code step.
            let sent = if form.code.trim().is_empty() {
                String::new()
            } else {
                format!("&sent={}", encode(form.phone.trim()))
            };
            let url = format!(
                "/register?{}&name={}&phone={}{sent}",
                error_query(&e),
                encode(form.name.trim()),
                encode(form.phone.trim()),
            );
            redirect(Some(&url), "/register")
        }
    }
}

#[derive(Deserialize)]
pub struct LocaleForm {
    lang: String,
    back: Option<String>,
}

pub async fn locale(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Form(form): Form<LocaleForm>,
) -> Response {
    let Some(locale) = Locale::parse(&form.lang) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "lang must be ru or en").into_response();
    };
    if let Some(caller) = &info.caller
        && let Err(e) = app.server.store.set_locale(caller.user.id, locale).await
    {
        tracing::error!(error = %e, "saving the language failed");
    }
    with_cookies(redirect(form.back.as_deref(), "/"), &[lang_cookie(&app.server, locale)])
}
