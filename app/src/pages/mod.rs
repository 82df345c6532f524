//! Pages and islands, one module per business area (`pages/<area>/`), plus the cabinet home and
//! the not-found page; helpers every area's forms share.

mod cart;
mod catalog;
mod crm;
mod home;
mod identity;
mod invoicing;
mod not_found;
mod notifications;
mod ordering;

pub use cart::{CartPage, QuickOrderPage};
pub use catalog::{CatalogPage, ProductPageView};
pub use home::HomePage;
pub use identity::{AdminUsersPage, LoginPage, ProfilePage, RegisterPage, SetPasswordPage};
pub use invoicing::{PaymentChecksPage, PaymentTasksPage};
pub use not_found::NotFoundPage;
pub use notifications::{AdminNotificationsPage, AdminOutboxPage, AdminTemplatePage, NotificationsPage};
pub(crate) use notifications::{Bell, NotificationPreferences};
pub use ordering::{AdminChannelsPage, OrderPage, OrdersPage, StaffOrderPage, StaffOrdersPage};

use domain::Locale;
use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::code_message;

/// The localized message for one field of the last failed submission.
pub(crate) fn field_message(
    error: impl Fn() -> Option<AppError> + Send + Sync + 'static,
    locale: RwSignal<Locale>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || error().and_then(|e| e.field_code(field).map(|c| code_message(locale.get(), c))))
}

/// The message for the whole form: everything that is not about one visible field.
pub(crate) fn form_message(error: Option<AppError>, locale: Locale, fields: &[&str]) -> Option<String> {
    let e = error?;
    match &e {
        AppError::Validation(list) => {
            list.iter().find(|f| !fields.contains(&f.field.as_str())).map(|f| code_message(locale, &f.code))
        }
        AppError::Conflict(f) if fields.contains(&f.field.as_str()) => None,
        _ => Some(e.message(locale)),
    }
}

/// The last error of a server action, if its last run failed.
pub(crate) fn action_error<I, O>(
    action: ServerAction<I>,
) -> impl Fn() -> Option<AppError> + Copy + Send + Sync + 'static
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    move || action.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
}

/// Sends a guest form through its server function; on success the browser loads the returned page
/// (or `next`) in full, so every part of the app sees the new session.
pub(crate) fn submit_then_go(
    call: impl std::future::Future<Output = Result<String, AppError>> + 'static,
    next: Option<String>,
    error: RwSignal<Option<AppError>>,
    pending: RwSignal<bool>,
) {
    pending.set(true);
    leptos::task::spawn_local(async move {
        match call.await {
            Ok(home) => {
                let _ = window().location().set_href(&next.unwrap_or(home));
            }
            Err(e) => {
                error.set(Some(e));
                pending.set(false);
            }
        }
    });
}

/// Loads a page in full (after a purchase or a sign-in every part of the app must see the new state).
pub(crate) fn go(path: &str) {
    let _ = window().location().set_href(path);
}

/// A local path from a `next` parameter; anything that could leave the site is refused.
pub(crate) fn safe_next(next: Option<String>) -> Option<String> {
    next.as_deref().and_then(crate::model::url::local_path)
}
