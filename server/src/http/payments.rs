//! Payments area, plain routes: providers' webhooks and the sandbox provider's pay page.

use std::sync::Arc;

use app::ports::{PaymentOutcome, PaymentRecord};
use app::services::context::RequestInfo;
use app::services::payments::{WebhookResult, handle_webhook};
use axum::Extension;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{Locale, Money};
use serde::Deserialize;

use super::{error_response, redirect};
use crate::AppState;
use crate::integrations::sandbox_payments::{SANDBOX_SIGNATURE_HEADER, Sandbox};

/// `POST /webhooks/payments/:provider`: a provider reports a payment's result.
pub async fn payment_webhook(
    State(app): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let signature = headers.get(SANDBOX_SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let result = handle_webhook(&app.server, &provider, signature, &body).await;
    webhook_response(result)
}

fn webhook_response(result: WebhookResult) -> Response {
    let (status, text) = match result {
        WebhookResult::Applied => (StatusCode::OK, "applied"),
        WebhookResult::AlreadyApplied => (StatusCode::OK, "already applied"),
        WebhookResult::BadSignature => (StatusCode::UNAUTHORIZED, "bad signature"),
        WebhookResult::Malformed => (StatusCode::BAD_REQUEST, "malformed report"),
        WebhookResult::UnknownPayment => (StatusCode::NOT_FOUND, "unknown payment"),
        WebhookResult::AmountMismatch => (StatusCode::CONFLICT, "amount does not match the payment"),
        WebhookResult::Failed => (StatusCode::INTERNAL_SERVER_ERROR, "try again later"),
    };
    (status, text).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The pay link's proof, when it is opened without the buyer's session.
#[derive(Deserialize)]
pub struct PayLink {
    until: Option<i64>,
    sig: Option<String>,
}

/// The sandbox payment `id` if it exists and this request may act on it: the buyer's own session
/// (an organisation that placed the order) or a signed pay link that has not expired. Anything
/// else is answered as if the payment did not exist.
async fn sandbox_payment(
    app: &AppState,
    info: &RequestInfo,
    id: &str,
    link: &PayLink,
) -> Result<(Arc<Sandbox>, PaymentRecord), Response> {
    let not_found = || {
        let text = if info.locale == Locale::Ru { "Платёж не найден" } else { "Payment not found" };
        (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], text).into_response()
    };
    let Some(sandbox) = app.sandbox.clone() else { return Err(not_found()) };
    let payment = match app.server.store.payment("sandbox", id).await {
        Ok(Some(p)) => p,
        Ok(None) => return Err(not_found()),
        Err(e) => return Err(error_response(&info.internal(e), info.locale)),
    };
    let own = info.caller.as_ref().is_some_and(|c| c.user.organisation_id == payment.organisation_id);
    let linked = sandbox.link_valid(id, link.until, link.sig.as_deref(), chrono::Utc::now().timestamp());
    if own || linked { Ok((sandbox, payment)) } else { Err(not_found()) }
}

/// `GET /sandbox-pay/:id`: the test provider's pay page, saying which order and amount it settles.
pub async fn sandbox_page(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Path(id): Path<String>,
    Query(link): Query<PayLink>,
) -> Response {
    let ru = info.locale == Locale::Ru;
    let payment = match sandbox_payment(&app, &info, &id, &link).await {
        Ok((_, p)) => p,
        Err(answer) => return answer,
    };
    let amount = Money::from_minor(payment.amount, domain::Currency::Rub).format(info.locale);
    let nonce = app::services::crypto::random_token()[..24].to_string();
    let (title, banner, order_label, pay, decline, settled) = if ru {
        (
            "Тестовая оплата",
            "Тестовый платёжный провайдер (песочница). Деньги не списываются.",
            "Заказ №",
            "Оплатить",
            "Отклонить",
            "Этот платёж уже обработан.",
        )
    } else {
        (
            "Test payment",
            "Test payment provider (sandbox). No money is charged.",
            "Order #",
            "Pay",
            "Decline",
            "This payment has already been processed.",
        )
    };
    let actions = if payment.status.accepts_report() {
        format!(
            r#"<form method="post"><input type="hidden" name="action" value="pay"><button data-testid="sandbox-pay" class="pay">{pay}</button></form>
               <form method="post"><input type="hidden" name="action" value="decline"><button data-testid="sandbox-decline" class="decline">{decline}</button></form>"#
        )
    } else {
        format!(
            r#"<p>{settled}</p><p><a href="/orders/{}">{order_label}{}</a></p>"#,
            payment.order_id, payment.order_id
        )
    };
    let html = format!(
        r#"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style nonce="{nonce}">
body{{font-family:system-ui,sans-serif;margin:0;background:#fefce8;color:#1c1917}}
.banner{{background:#facc15;padding:12px 16px;font-weight:700;text-align:center}}
main{{max-width:420px;margin:24px auto;padding:0 16px}}
.amount{{font-size:2rem;font-weight:700;margin:8px 0 24px}}
button{{width:100%;min-height:48px;font-size:1rem;border-radius:12px;border:0;margin-bottom:12px;cursor:pointer}}
.pay{{background:#15803d;color:#fff}} .decline{{background:#e7e5e4;color:#1c1917}}
</style></head><body><div class="banner" data-testid="sandbox-banner">{banner}</div><main>
<h1>{title}</h1><p>{order_label}{order}</p><p class="amount" data-testid="sandbox-amount">{amount}</p>{actions}</main></body></html>"#,
        lang = info.locale.code(),
        title = title,
        banner = banner,
        order_label = order_label,
        order = payment.order_id,
        amount = escape(&amount),
        actions = actions,
        nonce = nonce,
    );
    let policy = app::content_security_policy(&format!("'nonce-{nonce}'"));
    ([(header::CACHE_CONTROL, "no-store".to_string()), (header::CONTENT_SECURITY_POLICY, policy)], Html(html))
        .into_response()
}

#[derive(Deserialize)]
pub struct SandboxAction {
    #[serde(default)]
    action: String,
}

/// `POST /sandbox-pay/:id`: the buyer pressed pay or decline. The sandbox then reports to Kabinet
/// exactly as a provider would: a signed webhook through the same verification.
pub async fn sandbox_act(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    Path(id): Path<String>,
    Query(link): Query<PayLink>,
    Form(form): Form<SandboxAction>,
) -> Response {
    let outcome = match form.action.as_str() {
        "pay" => PaymentOutcome::Succeeded,
        "decline" => PaymentOutcome::Declined,
        _ => return (StatusCode::BAD_REQUEST, "action must be pay or decline").into_response(),
    };
    let (sandbox, payment) = match sandbox_payment(&app, &info, &id, &link).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let (body, signature) = sandbox.report(&id, outcome, payment.amount);
    match handle_webhook(&app.server, "sandbox", Some(&signature), body.as_bytes()).await {
        WebhookResult::Applied | WebhookResult::AlreadyApplied => {
            let result = if outcome == PaymentOutcome::Succeeded { "paid" } else { "declined" };
            redirect(Some(&format!("/orders/{}?payment={result}", payment.order_id)), "/orders")
        }
        other => webhook_response(other),
    }
}
