//! Invoicing area, plain routes: an order's invoice as a PDF.

use app::ports::StoreError;
use app::services::context::{RequestInfo, acting_on_route};
use axum::Extension;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Locale;

use super::error_response;
use crate::AppState;

/// Which of the order's invoices (`?invoice=2026-000123-2`; none: the first).
#[derive(serde::Deserialize)]
pub struct Which {
    invoice: Option<String>,
}

/// `GET /orders/:id/invoice.pdf`: an invoice of an order of the caller's organisation;
/// `GET /staff/orders/:id/invoice.pdf`: of an order within a staff member's reach.
pub async fn invoice_pdf(
    State(app): State<AppState>,
    Extension(info): Extension<RequestInfo>,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Query(which): Query<Which>,
) -> Response {
    let reach = match acting_on_route(&info, uri.path()).and_then(|acting| acting.reach()) {
        Ok(reach) => reach,
        Err(e) => return error_response(&e, info.locale),
    };
    let not_found = || {
        (StatusCode::NOT_FOUND, if info.locale == Locale::Ru { "Счёт не найден" } else { "Invoice not found" })
            .into_response()
    };
    let Ok(id) = id.parse::<i64>() else { return not_found() };
    let store = &app.server.store;
    let loaded = async {
        let Some(order) = store.order(id, &reach).await? else { return Ok(None) };
        let parties = store.invoice_parties(order.organisation_id).await?;
        Ok::<_, StoreError>(Some((order, parties)))
    };
    let (order, (seller, buyer)) = match loaded.await {
        Ok(Some(loaded)) => loaded,
        Ok(None) | Err(StoreError::NotFound) => return not_found(),
        Err(e) => return error_response(&info.internal(e), info.locale),
    };
    let chosen = match which.invoice.as_deref().map(str::trim) {
        None | Some("") => order.invoices.first(),
        Some(number) => order.invoices.iter().find(|i| i.number == number),
    };
    let Some(invoice) = chosen.cloned() else { return not_found() };
    let number = invoice.number.clone();
    let rendered =
        tokio::task::spawn_blocking(move || crate::invoice_pdf::render(&order, &invoice, &seller, &buyer)).await;
    match rendered {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"invoice-{number}.pdf\"")),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => error_response(&info.internal(e), info.locale),
        Err(e) => error_response(&info.internal(e), info.locale),
    }
}
