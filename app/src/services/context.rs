//! What a server function knows about its request: shared state, the caller, and how answers
//! (status codes, cookies) are set.

use std::sync::Arc;

use axum::http::{HeaderValue, header::SET_COOKIE, request::Parts};
use domain::{Locale, Role, Scope};
use leptos::prelude::{expect_context, provide_context, use_context};
use leptos_axum::ResponseOptions;

use crate::error::AppError;
use crate::model::CurrentUser;
use crate::policy::server_fn_policy;
use crate::ports::{Actor, Reach, Store, StoreError};

pub const SESSION_COOKIE: &str = "kabinet_session";
pub const LANG_COOKIE: &str = "kabinet_lang";

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct ServerState {
    /// Every area's storage port, one implementation.
    pub store: Arc<dyn Store>,
    /// The online payment provider; `None` when none is configured, and then online payment is
    /// not offered at all.
    pub payments: Option<Arc<dyn super::payments::PaymentProvider>>,
    /// The SMS gateway for codes that cannot wait; `None` when none is configured, and then
    /// registration and guest checkout (which need a confirmed phone) are not offered.
    pub sms: Option<Arc<dyn crate::ports::SmsGateway>>,
    /// The mail server e-mails are handed to; `None` when none is configured, and then e-mails
    /// wait in the outbox (the administrator sees them there).
    pub mailer: Option<Arc<dyn crate::ports::Mailer>>,
    /// Key for hashing session tokens and one-time links.
    pub secret: Arc<Vec<u8>>,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// Base of links sent to people, e.g. `https://kabinet.example.ru`.
    pub public_url: String,
    pub session_days: i64,
    /// How long an order paid online holds its stock unpaid (`KABINET_UNPAID_HOLD_MINUTES`).
    pub unpaid_hold: chrono::Duration,
}

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub session_id: i64,
    pub token_hash: String,
    pub user: CurrentUser,
}

/// The nonce of one HTML answer: the server's security headers choose it before the page is
/// rendered and allow the inline scripts carrying it; the page renders it on its scripts
/// (provided to Leptos as its [`leptos::nonce::Nonce`] by [`provide_script_nonce`]).
#[derive(Debug, Clone)]
pub struct ScriptNonce(pub Arc<str>);

/// Makes the request's [`ScriptNonce`] the one Leptos puts on every inline script it renders
/// (hydration, resources, the service worker's registration).
pub fn provide_script_nonce() {
    if let Some(nonce) = use_context::<Parts>().and_then(|parts| parts.extensions.get::<ScriptNonce>().cloned()) {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
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
        match &error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(field) => {
                AppError::Conflict(crate::error::FieldError::new(field, &format!("{field}.taken")))
            }
            StoreError::Corrupt(_) | StoreError::Backend(_) => self.internal(error_chain(&error)),
        }
    }
}

/// `map_err` adapter: a storage failure as the person sees it.
pub(crate) fn store_err(info: &RequestInfo) -> impl Fn(StoreError) -> AppError + '_ {
    move |e| info.store_error(e)
}

/// An error with every cause behind it, for the log.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The request being served, as the middleware described it.
pub fn request_info() -> RequestInfo {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<RequestInfo>().cloned()).unwrap_or_default()
}

pub fn server_state() -> ServerState {
    expect_context::<ServerState>()
}

/// The first line of every server function: who acts, may they, and how far they reach.
///
/// The policy row is the one of the function the macro is written in (found from the function's
/// own name through `type_name`), never a path typed by hand, so a copied body cannot borrow
/// another function's policy. The endpoint of a server function must equal its name.
#[macro_export]
macro_rules! authorize {
    () => {{
        fn here() {}
        $crate::services::context::authorize_function(::std::any::type_name_of_val(&here))
    }};
}

/// The server function's path from the `type_name` of an item in its body:
/// `app::api::cart::__server_cart_add::here` → `/api/cart_add`.
pub fn function_path(type_name: &str) -> Option<String> {
    let mut segments = type_name.rsplit("::").filter(|s| !s.starts_with('{'));
    segments.next()?;
    let name = segments.next()?;
    Some(format!("/api/{}", name.strip_prefix("__server_").unwrap_or(name)))
}

/// A server function call that passed its policy.
pub struct Call {
    pub state: ServerState,
    pub info: RequestInfo,
    pub acting: Acting,
}

impl Call {
    /// The signed-in caller, for functions whose policy admits only signed-in people.
    pub fn signed_in(self) -> Result<(ServerState, RequestInfo, Caller), AppError> {
        let caller = self.acting.caller()?.clone();
        Ok((self.state, self.info, caller))
    }
}

/// Who acts in a call and how far the policy row lets them reach. Services and stores narrow
/// every query by [`Acting::reach`], never by an id the client sent alone.
#[derive(Debug, Clone)]
pub struct Acting {
    pub scope: Scope,
    /// The signed-in person, `None` for a guest.
    pub user: Option<Caller>,
}

impl Acting {
    pub fn caller(&self) -> Result<&Caller, AppError> {
        self.user.as_ref().ok_or_else(|| reply_error(AppError::Unauthenticated))
    }

    pub fn organisation(&self) -> Option<i64> {
        self.user.as_ref().map(|c| c.user.organisation_id)
    }

    pub fn region(&self) -> Option<i64> {
        self.user.as_ref().and_then(|c| c.user.region_id)
    }

    /// The records this call may read, from the policy row's scope. A scope the acting person
    /// cannot have (a region for someone without one) is refused, never widened.
    pub fn reach(&self) -> Result<Reach, AppError> {
        let reach = match self.scope {
            Scope::Public | Scope::All => Some(Reach::Everything),
            Scope::Own => self.user.as_ref().map(|c| Reach::User(c.user.id)),
            Scope::OwnOrganisation => self.organisation().map(Reach::Organisation),
            Scope::OwnRegion => self.region().map(Reach::Region),
            Scope::Managed => self.user.as_ref().and_then(|c| match c.user.role {
                Role::Admin => Some(Reach::Everything),
                Role::Head => c.user.region_id.map(Reach::RegionAndPersons),
                Role::SalesManager => Some(Reach::Managed(c.user.id)),
                _ => None,
            }),
            // Assigned clients arrive with the CRM area (managers' client assignments).
            Scope::OwnClients => None,
        };
        reach.ok_or_else(|| {
            reply_error(if self.user.is_some() { AppError::Forbidden } else { AppError::Unauthenticated })
        })
    }
}

/// Who acts on a plain route, from the route's policy row (the middleware already refused anyone
/// the row does not admit).
pub fn acting_on_route(info: &RequestInfo, path: &str) -> Result<Acting, AppError> {
    let policy =
        crate::policy::policy_for(path).filter(|p| p.kind == crate::policy::Kind::Route).ok_or(AppError::Forbidden)?;
    Ok(Acting { scope: policy.scope, user: info.caller.clone() })
}

/// [`authorize!`]'s body: the policy row of the function named by `type_name`.
pub fn authorize_function(type_name: &str) -> Result<Call, AppError> {
    let path = function_path(type_name).unwrap_or_default();
    authorize_path(&path)
}

/// The policy row of a server function by its path.
pub fn authorize_path(path: &str) -> Result<Call, AppError> {
    let info = request_info();
    let Some(policy) = server_fn_policy(path) else {
        tracing::error!(path, "server function without a policy refused");
        return Err(reply_error(AppError::Forbidden));
    };
    // Called over HTTP, the address must be this function's own (an endpoint that differs from
    // the function's name would otherwise be checked against another row).
    if let Some(called) = use_context::<Parts>().map(|p| p.uri.path().to_string())
        && called.starts_with("/api/")
        && called != path
    {
        tracing::error!(path, called, "server function endpoint differs from its name");
        return Err(reply_error(AppError::Forbidden));
    }
    let role = info.caller.as_ref().map(|c| c.user.role);
    if !policy.access.allows(role) {
        let e = if role.is_none() { AppError::Unauthenticated } else { AppError::Forbidden };
        return Err(reply_error(e));
    }
    let acting = Acting { scope: policy.scope, user: info.caller.clone() };
    Ok(Call { state: server_state(), info, acting })
}

/// Sets the HTTP status that matches the error, so machines get a precise 4xx. A plain form post
/// (a browser without JavaScript, `Accept: text/html`) keeps the redirect the server function
/// answers it with: back to its page, the error in the address for the page to show.
pub fn reply_error(e: AppError) -> AppError {
    let form_post = use_context::<Parts>().is_some_and(|p| {
        p.headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
    });
    if !form_post && let Some(options) = use_context::<ResponseOptions>() {
        options.set_status(e.http_status());
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

/// A rate limit on something costly (new accounts, exports): refused while `key` is held back by
/// `policy`, otherwise counted — every call counts, not only failures.
pub async fn rate_limit(
    state: &ServerState,
    info: &RequestInfo,
    policy: domain::ThrottlePolicy,
    key: &str,
) -> Result<(), AppError> {
    let before = super::identity::held_back(state, info, policy, key).await?;
    super::identity::count_attempt(state, info, policy, key, &before).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use domain::{Locale, OrgKind, Role};

    use super::*;
    use crate::model::CurrentUser;

    fn person(role: Role, region_id: Option<i64>) -> Caller {
        let user = CurrentUser {
            id: 7,
            organisation_id: 3,
            name: "Тест".into(),
            email: None,
            phone: None,
            role,
            organisation: "ООО".into(),
            org_kind: OrgKind::Client,
            region: None,
            region_id,
            retail_point: None,
            locale: Locale::Ru,
            unread: 0,
        };
        Caller { session_id: 1, token_hash: String::new(), user }
    }

    #[test]
    fn the_policy_row_is_found_from_the_function_itself() {
        assert_eq!(function_path("app::api::cart::__server_cart_add::here").as_deref(), Some("/api/cart_add"));
        assert_eq!(
            function_path("app::api::x::__server_get_order::{{closure}}::here").as_deref(),
            Some("/api/get_order")
        );
        fn here() {}
        assert!(std::any::type_name_of_val(&here).ends_with("::here"), "type_name still names the item's path");
    }

    #[test]
    fn each_scope_reaches_only_its_own_records() {
        let buyer = Some(person(Role::WholesaleBuyer, Some(2)));
        let reach = |scope, user: &Option<Caller>| Acting { scope, user: user.clone() }.reach();
        assert_eq!(reach(Scope::Own, &buyer), Ok(Reach::User(7)));
        assert_eq!(reach(Scope::OwnOrganisation, &buyer), Ok(Reach::Organisation(3)));
        assert_eq!(reach(Scope::OwnRegion, &buyer), Ok(Reach::Region(2)));
        assert_eq!(reach(Scope::All, &buyer), Ok(Reach::Everything));
        // Refusals: a region scope for someone without a region, a guest where a person is needed,
        // and assigned clients until the CRM area assigns them.
        assert_eq!(reach(Scope::OwnRegion, &Some(person(Role::Head, None))), Err(AppError::Forbidden));
        assert_eq!(reach(Scope::OwnOrganisation, &None), Err(AppError::Unauthenticated));
        assert_eq!(reach(Scope::Own, &None), Err(AppError::Unauthenticated));
        assert_eq!(reach(Scope::OwnClients, &Some(person(Role::SalesManager, Some(1)))), Err(AppError::Forbidden));
    }
}
