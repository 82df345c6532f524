//! Notifications area, use cases: the dispatcher (events → notifications in the cabinet and
//! messages in the outbox, in the recipient's language, by the channels the administrator and the
//! person allow), the delivery worker (outbox → SMTP / SMS gateway, retried with backoff, dead after
//! the last try), the cabinet's list, and the administrator's templates, switches and outbox.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use domain::StatusMachine;
use domain::notifications::{Channel, MAX_ATTEMPTS, Notice, Switches, Template, render, retry_delay_seconds};
use domain::status::OrderStatus;
use domain::{ErrorCode, Locale};

use super::{Caller, RequestInfo, ServerState};
use crate::error::{AppError, FieldError};
use crate::i18n::notifications::default_template;
use crate::ports::{
    Attempt, Delivery, EventKind, MailError, Outgoing, PendingEvent, QueuedMessage, Recipient, SmsError, StoreError,
    StoreResult,
};

/// The administrator's templates and switches, read once per batch.
pub struct Settings {
    templates: HashMap<(Notice, Locale), Template>,
    switches: HashMap<Notice, Switches>,
}

impl Settings {
    pub async fn load(state: &ServerState) -> StoreResult<Self> {
        let templates = state.store.templates().await?.into_iter().map(|(n, l, t)| ((n, l), t)).collect();
        let switches = state.store.switches().await?.into_iter().collect();
        Ok(Self { templates, switches })
    }

    pub fn template(&self, notice: Notice, locale: Locale) -> Template {
        self.templates.get(&(notice, locale)).cloned().unwrap_or_else(|| default_template(notice, locale))
    }

    pub fn switches(&self, notice: Notice) -> Switches {
        if notice.is_security() {
            return Switches { email: true, sms: true };
        }
        self.switches.get(&notice).copied().unwrap_or_else(|| Switches::defaults(notice))
    }

    pub fn is_customised(&self, notice: Notice, locale: Locale) -> bool {
        self.templates.contains_key(&(notice, locale))
    }
}

/// One notice for one person: its texts filled in their language, the cabinet's entry, and a
/// message for each channel that is switched on, not turned off by them, and has an address.
pub fn compose(
    settings: &Settings,
    notice: Notice,
    person: &Recipient,
    link: Option<String>,
    value: impl Fn(&str, Locale) -> Option<String>,
) -> Delivery {
    let template = settings.template(notice, person.locale);
    let fill = |text: &str| {
        render(text, |name| match name {
            "name" => Some(person.name.clone()),
            "link" => link.clone(),
            other => value(other, person.locale),
        })
    };
    let (title, body) = (fill(&template.subject), fill(&template.body));
    let switches = settings.switches(notice);
    let mut messages = Vec::new();
    for channel in Channel::ALL.iter().copied() {
        let wanted = notice.is_security() || !person.opted_out.contains(&(notice, channel));
        let address = match channel {
            Channel::Email => person.email.clone(),
            Channel::Sms => person.phone.clone(),
        };
        let (Some(recipient), true, true) = (address, wanted, switches.allows(channel)) else { continue };
        let text = if channel == Channel::Sms { fill(&template.sms) } else { body.clone() };
        messages.push(Outgoing { channel, recipient, subject: title.clone(), body: text, notice: Some(notice) });
    }
    Delivery { user_id: person.user_id, notice, title, body, link, messages }
}

/// What one event leaves for everyone it concerns.
fn deliveries(settings: &Settings, base: &str, event: &PendingEvent) -> Vec<Delivery> {
    let Some(order) = &event.order else { return Vec::new() };
    let value = |name: &str, locale: Locale| -> Option<String> {
        Some(match name {
            "order" => order.id.to_string(),
            "total" => crate::components::format::money(locale, order.total),
            "buyer" => order.buyer.clone(),
            "amount" => crate::components::format::money(locale, event.amount.unwrap_or(order.total)),
            "status" => {
                let code = event.status.as_deref().unwrap_or(&order.status);
                OrderStatus::parse(code).map(|s| crate::i18n::order_status_name(locale, s).to_string())?
            }
            "number" => event.data.get("number")?.as_i64()?.to_string(),
            "shipped" => format!("{} %", event.data.get("shipped")?.as_i64()?),
            "text" | "author" | "invoice" | "reason" => event.data.get(name)?.as_str()?.to_string(),
            "due" => locale.format_date(event.data.get("due")?.as_str()?.parse().ok()?),
            _ => return None,
        })
    };
    let buyer_link = Some(format!("{base}/orders/{}", order.id));
    let staff_link = Some(format!("{base}/staff/orders/{}", order.id));
    let (to_buyer, to_staff) = match event.kind {
        EventKind::OrderPlaced => (Some(Notice::OrderPlaced), Some(Notice::OrderNew)),
        EventKind::OrderStatus => (Some(Notice::OrderStatus), None),
        EventKind::PaymentReceived => (Some(Notice::PaymentReceived), Some(Notice::PaymentReceivedStaff)),
        EventKind::OrderShipment => (Some(Notice::OrderShipment), None),
        EventKind::RefundDone => (Some(Notice::RefundDone), None),
        EventKind::PaymentDue => (Some(Notice::PaymentDue), None),
        EventKind::PaymentOverdue => (Some(Notice::PaymentOverdue), Some(Notice::PaymentOverdueStaff)),
        EventKind::ApprovalNeeded => (None, Some(Notice::ApprovalNeeded)),
        EventKind::OrderApproved => (Some(Notice::OrderApproved), Some(Notice::OrderApproved)),
        EventKind::OrderRejected => (Some(Notice::OrderRejected), Some(Notice::OrderRejected)),
        EventKind::ManagerAssigned => (None, Some(Notice::ClientAssigned)),
        EventKind::OrderComment => {
            let flag = |name: &str| event.data.get(name).and_then(serde_json::Value::as_bool).unwrap_or(false);
            match (flag("by_staff"), flag("for_buyer")) {
                // Staff's message for the buyer reaches the buyer; an internal note, nobody.
                (true, true) => (Some(Notice::OrderComment), None),
                (true, false) => (None, None),
                // The buyer's reaches their manager (or the region's sales staff).
                (false, _) => (None, Some(Notice::OrderCommentStaff)),
            }
        }
    };
    let mut out = Vec::new();
    if let Some(notice) = to_buyer {
        out.extend(event.buyer.iter().map(|p| compose(settings, notice, p, buyer_link.clone(), value)));
    }
    if let Some(notice) = to_staff {
        out.extend(event.staff.iter().map(|p| compose(settings, notice, p, staff_link.clone(), value)));
    }
    out
}

/// How many events one call of [`dispatch`] handles at most.
pub const DISPATCH_BATCH: usize = 50;

/// Turns waiting events into notifications and messages. Returns how many events were handled.
pub async fn dispatch(state: &ServerState, now: DateTime<Utc>) -> StoreResult<usize> {
    let settings = Settings::load(state).await?;
    let base = state.public_url.trim_end_matches('/').to_string();
    let make = move |event: &PendingEvent| deliveries(&settings, &base, event);
    state.store.dispatch_events(now, DISPATCH_BATCH as i64, &make).await
}

/// How long a claimed message is left to one server before another may try it.
const LEASE_SECONDS: i64 = 120;

/// Messages sent at once by one server (each its own SMTP connection or gateway call).
const IN_FLIGHT: i64 = 8;

/// Sends what is due in the outbox, a few messages at a time, until none is left or `stop` says
/// so: messages in flight are finished and recorded, claimed ones not yet started are handed back.
/// Returns how many were sent.
pub async fn deliver(state: &ServerState, stop: &(dyn Fn() -> bool + Send + Sync)) -> StoreResult<usize> {
    let mut channels = Vec::new();
    if state.mailer.is_some() {
        channels.push(Channel::Email);
    }
    if state.sms.is_some() {
        channels.push(Channel::Sms);
    }
    if channels.is_empty() {
        return Ok(0);
    }
    let mut sent = 0;
    loop {
        let now = Utc::now();
        let lease = now + Duration::seconds(LEASE_SECONDS);
        let batch = state.store.claim_messages(&channels, now, lease, IN_FLIGHT).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        let mut running = tokio::task::JoinSet::new();
        for message in batch {
            if stop() {
                state.store.finish_attempt(message.id, &Attempt::Released, Utc::now()).await?;
                continue;
            }
            let state = state.clone();
            running.spawn(async move { attempt(&state, message).await });
        }
        while let Some(done) = running.join_next().await {
            match done {
                Ok(Ok(true)) => sent += 1,
                Ok(Ok(false)) => {}
                Ok(Err(e)) => return Err(e),
                Err(e) => tracing::error!(error = %e, "a delivery attempt panicked"),
            }
        }
        if stop() {
            return Ok(sent);
        }
    }
}

/// One delivery attempt of a claimed message, recorded; whether it was sent.
async fn attempt(state: &ServerState, message: QueuedMessage) -> StoreResult<bool> {
    let result = match message.channel {
        Channel::Email => match &state.mailer {
            Some(mailer) => {
                let id = format!("<{}@kabinet>", message.key.replace(|c: char| !c.is_ascii_alphanumeric(), "."));
                mailer.send(&message.recipient, &message.subject, &message.body, &id).await.map(|_| "smtp")
            }
            None => Err(MailError::Temporary("no SMTP server".into())),
        },
        Channel::Sms => match &state.sms {
            Some(sms) => sms
                .send(&message.recipient, &message.body)
                .await
                .map(|_| if sms.is_sandbox() { "sandbox" } else { "gateway" })
                .map_err(|e| match e {
                    SmsError::Refused => MailError::Permanent(e.to_string()),
                    SmsError::Unavailable(why) => MailError::Temporary(why),
                }),
            None => Err(MailError::Temporary("no SMS gateway".into())),
        },
    };
    let now = Utc::now();
    let attempt = match result {
        Ok(via) => Attempt::Sent { via },
        Err(MailError::Permanent(error)) => Attempt::Failed { error, retry_at: None },
        Err(MailError::Temporary(error)) => {
            let retry = (message.attempts < MAX_ATTEMPTS)
                .then(|| now + Duration::seconds(retry_delay_seconds(message.attempts)));
            Attempt::Failed { error, retry_at: retry }
        }
    };
    if let Attempt::Failed { error, retry_at } = &attempt {
        tracing::warn!(id = message.id, attempts = message.attempts, %error, dead = retry_at.is_none(), "message not delivered");
    }
    state.store.finish_attempt(message.id, &attempt, now).await?;
    Ok(matches!(attempt, Attempt::Sent { .. }))
}

/// A notice's texts for one person outside any event (links to choose a password, security
/// alerts): the administrator's template in their language, filled; one message by the first
/// channel they can be reached by (e-mail, else SMS).
pub async fn compose_direct(
    state: &ServerState,
    info: &RequestInfo,
    notice: Notice,
    person: &Recipient,
    link: &str,
    values: &[(&str, String)],
) -> Result<Option<Outgoing>, AppError> {
    let settings = Settings::load(state).await.map_err(|e| info.store_error(e))?;
    let value = |name: &str, _| values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
    let delivery = compose(&settings, notice, person, Some(link.to_string()), value);
    Ok(delivery.messages.into_iter().next())
}

/// The validation errors of a template, each next to its field.
pub fn template_errors(notice: Notice, template: &Template) -> Result<(), AppError> {
    let problems = template.check(notice);
    if problems.is_empty() {
        return Ok(());
    }
    Err(AppError::Validation(problems.into_iter().map(|(field, e)| FieldError::new(field.code(), e.code())).collect()))
}

/// Saves the administrator's template (checked first) or restores the built-in one.
pub async fn save_template(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    notice: Notice,
    locale: Locale,
    template: Option<Template>,
) -> Result<(), AppError> {
    if let Some(t) = &template {
        template_errors(notice, t)?;
    }
    state
        .store
        .save_template(notice, locale, template.as_ref(), Some(caller.user.id), Utc::now())
        .await
        .map_err(|e| info.store_error(e))
}

/// Puts a dead message back in the queue.
pub async fn retry(state: &ServerState, info: &RequestInfo, id: i64) -> Result<(), AppError> {
    state.store.retry_message(id, Utc::now()).await.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound,
        other => info.store_error(other),
    })
}

/// One page of the caller's notifications, with their unread count.
pub async fn list(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    before: Option<i64>,
) -> Result<crate::model::NotificationList, AppError> {
    const PAGE: i64 = 30;
    let user = caller.user.id;
    let records = state.store.notifications(user, before, PAGE + 1).await.map_err(|e| info.store_error(e))?;
    let unread = state.store.unread_count(user).await.map_err(|e| info.store_error(e))?;
    let more = records.len() as i64 > PAGE;
    let items: Vec<_> = records.into_iter().take(PAGE as usize).collect();
    let next_before = if more { items.last().map(|i| i.id) } else { None };
    Ok(crate::model::NotificationList { items, unread, next_before })
}

/// The caller's choices per notice that can be turned off, beside the administrator's switches.
pub async fn preferences(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
) -> Result<Vec<crate::model::Preference>, AppError> {
    let settings = Settings::load(state).await.map_err(|e| info.store_error(e))?;
    let off = state.store.opt_outs(caller.user.id).await.map_err(|e| info.store_error(e))?;
    let concerns = notices_for(caller.user.role);
    Ok(concerns
        .into_iter()
        .map(|notice| crate::model::Preference {
            notice,
            switched_on: settings.switches(notice),
            wanted: Switches {
                email: !off.contains(&(notice, Channel::Email)),
                sms: !off.contains(&(notice, Channel::Sms)),
            },
        })
        .collect())
}

/// The notices a person with this role can receive and may turn off.
pub fn notices_for(role: domain::Role) -> Vec<Notice> {
    let staff = crate::policy::ORDER_STAFF.contains(&role);
    let buyer = crate::policy::BUYERS.contains(&role);
    Notice::ALL
        .iter()
        .copied()
        .filter(|n| match n {
            Notice::OrderPlaced
            | Notice::OrderStatus
            | Notice::PaymentReceived
            | Notice::RefundDone
            | Notice::PaymentDue
            | Notice::PaymentOverdue
            | Notice::OrderShipment
            | Notice::OrderComment => buyer,
            Notice::OrderNew
            | Notice::PaymentReceivedStaff
            | Notice::PaymentOverdueStaff
            | Notice::OrderCommentStaff => staff,
            _ => false,
        })
        .collect()
}

/// Turns one channel of one notice on or off for the caller.
pub async fn set_preference(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    notice: Notice,
    channel: Channel,
    on: bool,
) -> Result<(), AppError> {
    if notice.is_security() {
        return Err(AppError::field("notice", "notice.security"));
    }
    let mut off = state.store.opt_outs(caller.user.id).await.map_err(|e| info.store_error(e))?;
    off.retain(|x| *x != (notice, channel));
    if !on {
        off.push((notice, channel));
    }
    state.store.save_opt_outs(caller.user.id, &off).await.map_err(|e| info.store_error(e))
}

/// Every notice with its switches and edited templates, and whether anything can leave at all.
pub async fn settings(state: &ServerState, info: &RequestInfo) -> Result<crate::model::NoticeOverview, AppError> {
    let settings = Settings::load(state).await.map_err(|e| info.store_error(e))?;
    let counts = state.store.outbox_counts().await.map_err(|e| info.store_error(e))?;
    let rows = Notice::ALL
        .iter()
        .map(|&notice| crate::model::NoticeRow {
            notice,
            switches: settings.switches(notice),
            security: notice.is_security(),
            customised: Locale::ALL.into_iter().filter(|&l| settings.is_customised(notice, l)).collect(),
        })
        .collect();
    Ok(crate::model::NoticeOverview {
        rows,
        smtp: state.mailer.is_some(),
        sms: state.sms.is_some(),
        sms_sandbox: state.sms.as_ref().is_some_and(|s| s.is_sandbox()),
        queued: counts[0],
        dead: counts[2],
    })
}

/// Switches one channel of a notice on or off for everyone (not for security notices).
pub async fn switch(
    state: &ServerState,
    info: &RequestInfo,
    caller: &Caller,
    notice: Notice,
    channel: Channel,
    on: bool,
) -> Result<(), AppError> {
    if notice.is_security() {
        return Err(AppError::field("notice", "notice.security"));
    }
    let settings = Settings::load(state).await.map_err(|e| info.store_error(e))?;
    let mut switches = settings.switches(notice);
    match channel {
        Channel::Email => switches.email = on,
        Channel::Sms => switches.sms = on,
    }
    state.store.save_switches(notice, switches, Some(caller.user.id), Utc::now()).await.map_err(|e| info.store_error(e))
}

/// A template as it is now (the administrator's, or the built-in one).
pub async fn template(
    state: &ServerState,
    info: &RequestInfo,
    notice: Notice,
    locale: Locale,
) -> Result<crate::model::TemplateEdit, AppError> {
    let saved = state.store.template(notice, locale).await.map_err(|e| info.store_error(e))?;
    Ok(crate::model::TemplateEdit {
        notice,
        locale,
        customised: saved.is_some(),
        template: saved.unwrap_or_else(|| default_template(notice, locale)),
    })
}

/// One page of the delivery queue for the administrator.
pub async fn outbox(
    state: &ServerState,
    info: &RequestInfo,
    view: crate::model::OutboxView,
    before: Option<i64>,
) -> Result<crate::model::OutboxPage, AppError> {
    const PAGE: i64 = 50;
    let records = state.store.outbox(view, before, PAGE + 1).await.map_err(|e| info.store_error(e))?;
    let counts = state.store.outbox_counts().await.map_err(|e| info.store_error(e))?;
    let more = records.len() as i64 > PAGE;
    let items: Vec<_> = records.into_iter().take(PAGE as usize).collect();
    let next_before = if more { items.last().map(|i| i.id) } else { None };
    Ok(crate::model::OutboxPage { view, items, counts, next_before })
}
