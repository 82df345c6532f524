//! Notifications area, server functions: the person's notifications and channel choices, and the
//! administrator's switches, templates and delivery queue.

use domain::Locale;
use domain::notifications::{Channel, Notice};
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{NoticeOverview, NotificationList, OutboxPage, OutboxView, Preference, TemplateEdit};

/// The caller's notifications, newest first, 30 at a time (`before`: the last id of the page).
#[server(endpoint = "list_notifications")]
pub async fn list_notifications(before: Option<i64>) -> Result<NotificationList, AppError> {
    use crate::services::{context::*, notifications};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(notifications::list(&state, &info, &caller, before).await)
}

/// Marks one notification (or, without `id`, all) read; answers the unread count.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<i64, AppError> {
    use crate::services::context::*;
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    let store = &state.store;
    store.mark_read(caller.user.id, id, chrono::Utc::now()).await.map_err(store_err(&info))?;
    reply(store.unread_count(caller.user.id).await.map_err(store_err(&info)))
}

#[server(endpoint = "notification_preferences")]
pub async fn notification_preferences() -> Result<Vec<Preference>, AppError> {
    use crate::services::{context::*, notifications};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(notifications::preferences(&state, &info, &caller).await)
}

/// Turns one channel of one notice on or off for the caller (not security notices).
#[server(endpoint = "set_notification_preference")]
pub async fn set_notification_preference(notice: Notice, channel: Channel, on: bool) -> Result<(), AppError> {
    use crate::services::{context::*, notifications};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(notifications::set_preference(&state, &info, &caller, notice, channel, on).await)
}

#[server(endpoint = "notice_settings")]
pub async fn notice_settings() -> Result<NoticeOverview, AppError> {
    use crate::services::{context::*, notifications};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(notifications::settings(&state, &info).await)
}

/// Switches one channel of a notice on or off for everyone.
#[server(endpoint = "switch_notice_channel")]
pub async fn switch_notice_channel(notice: Notice, channel: Channel, on: bool) -> Result<(), AppError> {
    use crate::services::{context::*, notifications};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(notifications::switch(&state, &info, &caller, notice, channel, on).await)
}

#[server(endpoint = "notice_template")]
pub async fn notice_template(notice: Notice, locale: Locale) -> Result<TemplateEdit, AppError> {
    use crate::services::{context::*, notifications};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(notifications::template(&state, &info, notice, locale).await)
}

/// Saves a template after checking it (each problem next to its field).
#[server(endpoint = "save_notice_template")]
pub async fn save_notice_template(
    notice: Notice,
    locale: Locale,
    subject: String,
    body: String,
    sms: String,
) -> Result<TemplateEdit, AppError> {
    use crate::services::{context::*, notifications};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    let template = domain::notifications::Template { subject, body, sms };
    reply(notifications::save_template(&state, &info, &caller, notice, locale, Some(template)).await)?;
    reply(notifications::template(&state, &info, notice, locale).await)
}

/// Goes back to the built-in template.
#[server(endpoint = "reset_notice_template")]
pub async fn reset_notice_template(notice: Notice, locale: Locale) -> Result<TemplateEdit, AppError> {
    use crate::services::{context::*, notifications};
    let (state, info, caller) = crate::authorize!()?.signed_in()?;
    reply(notifications::save_template(&state, &info, &caller, notice, locale, None).await)?;
    reply(notifications::template(&state, &info, notice, locale).await)
}

#[server(endpoint = "outbox_messages")]
pub async fn outbox_messages(view: OutboxView, before: Option<i64>) -> Result<OutboxPage, AppError> {
    use crate::services::{context::*, notifications};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(notifications::outbox(&state, &info, view, before).await)
}

/// Puts a message that could not be delivered back in the queue.
#[server(endpoint = "retry_message")]
pub async fn retry_message(id: i64) -> Result<(), AppError> {
    use crate::services::{context::*, notifications};
    let Call { state, info, .. } = crate::authorize!()?;
    reply(notifications::retry(&state, &info, id).await)
}
