//! Notifications area, the administrator's pages: every notice with its channel switches and
//! templates, a template's editor with a live preview (the domain crate's own check and filling,
//! run in the browser), and the delivery queue with "send again" for messages that failed.

use domain::ErrorCode;
use domain::Locale;
use domain::notifications::templates::{check_field, preview};
use domain::notifications::{Channel, Notice, TemplateField};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::notice_name;
use crate::api::notifications::{
    notice_settings, notice_template, outbox_messages, reset_notice_template, retry_message, save_notice_template,
    switch_notice_channel,
};
use crate::components::Cabinet;
use crate::components::form::{BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS};
use crate::i18n::notifications::t as tn;
use crate::i18n::{code_message, t, use_locale};
use crate::model::{CurrentUser, NoticeRow, OutboxItem, OutboxView, TemplateEdit};

#[component]
pub fn AdminNotificationsPage() -> impl IntoView {
    view! { <Cabinet page=settings_page/> }
}

#[component]
pub fn AdminTemplatePage() -> impl IntoView {
    view! { <Cabinet page=template_page/> }
}

#[component]
pub fn AdminOutboxPage() -> impl IntoView {
    view! { <Cabinet page=outbox_page/> }
}

fn language_name(locale: Locale) -> &'static str {
    match locale {
        Locale::Ru => "RU",
        Locale::En => "EN",
    }
}

fn settings_page(_user: CurrentUser) -> impl IntoView {
    let data = Resource::new(|| (), |_| notice_settings());
    let locale = use_locale();
    view! {
        <h1 class="mb-3 text-2xl font-bold">{move || tn().admin_title}</h1>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! {
                        <div class="mb-3 space-y-1 text-sm">
                            {(!s.smtp).then(|| view! { <p class="rounded-lg bg-amber-50 p-2 text-amber-900" data-testid="no-smtp">{move || tn().no_smtp}</p> })}
                            {(!s.sms).then(|| view! { <p class="rounded-lg bg-amber-50 p-2 text-amber-900">{move || tn().no_sms}</p> })}
                            <a href="/admin/outbox" class="text-sky-800 underline" data-testid="outbox-link">
                                {move || format!("{}: {} {}, {} {}", tn().outbox_title, tn().outbox_queued.to_lowercase(), s.queued,
                                    tn().outbox_dead.to_lowercase(), s.dead)}
                            </a>
                        </div>
                        <ul class="space-y-2">
                            {s.rows.into_iter().map(|row| view! { <NoticeLine row/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeLine(row: NoticeRow) -> impl IntoView {
    let locale = use_locale();
    let notice = row.notice;
    let templates = Locale::ALL
        .into_iter()
        .map(|l| {
            let edited = row.customised.contains(&l);
            view! {
                <a href=format!("/admin/notifications/{}?lang={}", notice.code(), l.code()) class="text-sky-800 underline"
                    data-testid=format!("template-{}-{}", notice.code(), l.code())>
                    {move || format!("{} {}", tn().edit_template, language_name(l))}
                    {edited.then(|| view! { <span class="ml-1 rounded bg-sky-100 px-1 text-xs">{move || tn().customised}</span> })}
                </a>
            }
        })
        .collect_view();
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-3" data-testid=format!("notice-{}", notice.code())>
            <p class="font-semibold">{move || notice_name(locale.get(), notice)}</p>
            <div class="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                <span>{move || format!("{}: {}", tn().channel_in_app, tn().always)}</span>
                {if row.security {
                    view! { <span class="text-slate-600">{move || format!("{}, {}: {}", tn().channel_email, tn().channel_sms, tn().security_note)}</span> }.into_any()
                } else {
                    view! { <ChannelSwitches notice email=row.switches.email sms=row.switches.sms/> }.into_any()
                }}
                {templates}
            </div>
        </li>
    }
}

#[island(lazy)]
fn ChannelSwitches(notice: Notice, email: bool, sms: bool) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let error = RwSignal::new(None::<String>);
    let boxes = [(Channel::Email, email), (Channel::Sms, sms)]
        .into_iter()
        .map(|(channel, on)| {
            let label = move || if channel == Channel::Email { tn().channel_email } else { tn().channel_sms };
            view! {
                <label class="flex min-h-11 items-center gap-2">
                    <input type="checkbox" class="h-5 w-5" checked=on data-testid=format!("switch-{}-{}", notice.code(), channel.code())
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            leptos::task::spawn_local(async move {
                                let saved = switch_notice_channel(notice, channel, on).await;
                                error.set(saved.err().map(|e| e.message(locale.get_untracked())));
                            });
                        }/>
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        {boxes}
        <span role="alert" class="text-red-700">{move || error.get()}</span>
    }
}

fn template_page(_user: CurrentUser) -> impl IntoView {
    let notice = use_params_map().with_untracked(|p| p.get("notice").and_then(|n| Notice::parse(&n)));
    let lang = use_query_map().with_untracked(|q| q.get("lang").and_then(|l| Locale::parse(&l)).unwrap_or_default());
    let locale = use_locale();
    let Some(notice) = notice else {
        return view! { <p role="alert" class="text-red-700">{move || code_message(locale.get(), "notice.unknown")}</p> }
            .into_any();
    };
    let data = Resource::new(|| (), move |_| notice_template(notice, lang));
    let tabs = Locale::ALL
        .into_iter()
        .map(|l| {
            view! {
                <a href=format!("/admin/notifications/{}?lang={}", notice.code(), l.code())
                    aria-current=(l == lang).then_some("page")
                    class="rounded-full border border-slate-300 px-3 py-1 aria-[current=page]:bg-sky-700 aria-[current=page]:text-white">
                    {language_name(l)}
                </a>
            }
        })
        .collect_view();
    view! {
        <a href="/admin/notifications" class="text-sm text-sky-800 underline">{move || tn().admin_title}</a>
        <h1 class="mb-2 mt-1 text-2xl font-bold">{move || format!("{}: {}", tn().template_for, notice_name(locale.get(), notice))}</h1>
        <div class="mb-3 flex gap-2 text-sm">{tabs}</div>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(edit) => view! { <TemplateEditor edit/> }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The three texts with their placeholders, checked as they are typed and shown filled with example
/// values; the server checks again on save.
#[island(lazy)]
fn TemplateEditor(edit: TemplateEdit) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let notice = edit.notice;
    let lang = edit.locale;
    let subject = RwSignal::new(edit.template.subject);
    let body = RwSignal::new(edit.template.body);
    let sms = RwSignal::new(edit.template.sms);
    let customised = RwSignal::new(edit.customised);
    let server_error = RwSignal::new(None::<crate::error::AppError>);
    let saved = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let signal_of = move |field: TemplateField| match field {
        TemplateField::Subject => subject,
        TemplateField::Body => body,
        TemplateField::Sms => sms,
    };
    let problem = move |field: TemplateField| {
        let local = check_field(notice, field, &signal_of(field).get()).err().map(|e| e.code());
        let remote = server_error.with(|e| e.as_ref().and_then(|e| e.field_code(field.code()).map(str::to_string)));
        local.map(str::to_string).or(remote).map(|code| code_message(locale.get(), &code))
    };
    let fill = move |edit: TemplateEdit| {
        subject.set(edit.template.subject);
        body.set(edit.template.body);
        sms.set(edit.template.sms);
        customised.set(edit.customised);
    };
    // Both buttons answer the template as it now is, or why not.
    let settle = move |result: Result<TemplateEdit, crate::error::AppError>| {
        pending.set(false);
        match result {
            Ok(edit) => {
                fill(edit);
                server_error.set(None);
                saved.set(true);
            }
            Err(e) => server_error.set(Some(e)),
        }
    };
    let save = move |_| {
        pending.set(true);
        saved.set(false);
        leptos::task::spawn_local(async move {
            let (s, b, m) = (subject.get_untracked(), body.get_untracked(), sms.get_untracked());
            settle(save_notice_template(notice, lang, s, b, m).await);
        });
    };
    let reset = move |_| {
        pending.set(true);
        leptos::task::spawn_local(async move { settle(reset_notice_template(notice, lang).await) });
    };
    let field = move |field: TemplateField, label: fn() -> &'static str, rows: Option<u32>| {
        let value = signal_of(field);
        let id = format!("template-{}", field.code());
        let input = match rows {
            None => view! {
                <input id=id.clone() class=INPUT_CLASS data-testid=id.clone() prop:value=move || value.get()
                    on:input=move |ev| { value.set(event_target_value(&ev)); saved.set(false); }/>
            }
            .into_any(),
            Some(rows) => view! {
                <textarea id=id.clone() rows=rows class=INPUT_CLASS data-testid=id.clone() prop:value=move || value.get()
                    on:input=move |ev| { value.set(event_target_value(&ev)); saved.set(false); }></textarea>
            }
            .into_any(),
        };
        view! {
            <div>
                <label for=id.clone() class="block text-sm font-medium">{label}</label>
                {input}
                <p class="text-sm text-red-700" data-testid=format!("{id}-error")>{move || problem(field)}</p>
            </div>
        }
    };
    let any_problem = move || TemplateField::ALL.iter().any(|&f| check_field(notice, f, &signal_of(f).get()).is_err());
    let marks = notice
        .placeholders()
        .iter()
        .map(|(name, example)| view! { <li><code>{format!("{{{{{name}}}}}")}</code>" — "{*example}</li> })
        .collect_view();
    view! {
        <div class="grid gap-4 lg:grid-cols-2">
            <div class="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
                {field(TemplateField::Subject, || tn().subject_label, None)}
                {field(TemplateField::Body, || tn().body_label, Some(8))}
                {field(TemplateField::Sms, || tn().sms_label, Some(3))}
                <div class="text-sm">
                    <p class="font-medium">{move || tn().placeholders_label}</p>
                    <ul class="text-slate-700">{marks}</ul>
                </div>
                <div class="flex flex-wrap gap-2">
                    <button type="button" class=BUTTON_CLASS data-testid="template-save" on:click=save
                        disabled=move || pending.get() || any_problem()>{move || t().save}</button>
                    <Show when=move || customised.get()>
                        <button type="button" class=SECONDARY_BUTTON_CLASS data-testid="template-reset" on:click=reset
                            disabled=move || pending.get()>{move || tn().reset_template}</button>
                    </Show>
                    <span class="self-center text-sm text-green-700" data-testid="template-saved">
                        {move || saved.get().then(|| t().saved)}
                    </span>
                </div>
                <p role="alert" class="text-sm text-red-700">
                    {move || server_error.get().filter(|e| TemplateField::ALL.iter().all(|f| e.field_code(f.code()).is_none()))
                        .map(|e| e.message(locale.get()))}
                </p>
            </div>
            <div class="space-y-2 rounded-xl border border-slate-200 bg-slate-100 p-4" data-testid="template-preview">
                <p class="text-sm font-medium text-slate-600">{move || tn().preview_label}</p>
                <div class="rounded-lg bg-white p-3 shadow-sm">
                    <p class="font-semibold" data-testid="preview-subject">{move || preview(notice, &subject.get())}</p>
                    <p class="mt-2 whitespace-pre-line text-sm" data-testid="preview-body">{move || preview(notice, &body.get())}</p>
                </div>
                <div class="max-w-xs rounded-2xl bg-green-100 p-3 text-sm" data-testid="preview-sms">{move || preview(notice, &sms.get())}</div>
            </div>
        </div>
    }
}

fn outbox_page(_user: CurrentUser) -> impl IntoView {
    let (view_, before) = use_query_map().with_untracked(|q| {
        (OutboxView::parse(&q.get("view").unwrap_or_default()), q.get("before").and_then(|b| b.parse::<i64>().ok()))
    });
    let data = Resource::new(|| (), move |_| outbox_messages(view_, before));
    let locale = use_locale();
    view! {
        <a href="/admin/notifications" class="text-sm text-sky-800 underline">{move || tn().admin_title}</a>
        <h1 class="mb-3 mt-1 text-2xl font-bold">{move || tn().outbox_title}</h1>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let chips = OutboxView::ALL.into_iter().zip(page.counts).map(|(v, n)| {
                            let label = move || match v {
                                OutboxView::Queued => tn().outbox_queued,
                                OutboxView::Sent => tn().outbox_sent,
                                OutboxView::Dead => tn().outbox_dead,
                            };
                            view! {
                                <a href=format!("/admin/outbox?view={}", v.code()) aria-current=(v == page.view).then_some("page")
                                    data-testid=format!("outbox-{}", v.code())
                                    class="rounded-full border border-slate-300 px-3 py-1 text-sm aria-[current=page]:bg-sky-700 aria-[current=page]:text-white">
                                    {move || format!("{} · {n}", label())}
                                </a>
                            }
                        }).collect_view();
                        let older = page.next_before.map(|b| view! {
                            <a href=format!("/admin/outbox?view={}&before={b}", page.view.code()) class=SECONDARY_BUTTON_CLASS>{move || tn().older}</a>
                        });
                        let empty = page.items.is_empty();
                        view! {
                            <div class="mb-3 flex flex-wrap gap-2">{chips}</div>
                            {empty.then(|| view! { <p class="text-slate-600">{move || tn().outbox_empty}</p> })}
                            <ul class="space-y-2" data-testid="outbox">
                                {page.items.into_iter().map(|item| view! { <OutboxLine item/> }).collect_view()}
                            </ul>
                            <div class="mt-3">{older}</div>
                        }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OutboxLine(item: OutboxItem) -> impl IntoView {
    let locale = use_locale();
    let when = move |at: chrono::DateTime<chrono::Utc>| locale.get().format_datetime(at, domain::locale::moscow());
    let channel = move || if item.channel == Channel::Email { tn().channel_email } else { tn().channel_sms };
    let sandbox = item.via.as_deref() == Some("sandbox");
    let dead = item.dead_at.is_some();
    let (created, sent, next) = (item.created_at, item.sent_at, item.next_attempt_at);
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-3 text-sm" data-testid="outbox-item">
            <div class="flex flex-wrap justify-between gap-2">
                <span class="font-semibold">{channel}" → "{item.recipient}</span>
                <span class="text-slate-500">{move || when(created)}</span>
            </div>
            <p class="mt-1 font-medium">{item.subject}</p>
            <details class="mt-1"><summary class="cursor-pointer text-slate-600">"…"</summary>
                <p class="whitespace-pre-line text-slate-700">{item.body}</p>
            </details>
            <p class="mt-1 text-slate-600">
                {move || format!("{}: {}", tn().attempts_label, item.attempts)}
                {move || sent.map(|s| format!(" · {} {}", tn().outbox_sent, when(s)))}
                {move || next.filter(|_| sent.is_none() && !dead).map(|n| format!(" · {}: {}", tn().next_attempt, when(n)))}
                {sandbox.then(|| view! { <span class="ml-1 rounded bg-amber-100 px-1">{move || tn().via_sandbox}</span> })}
            </p>
            {item.last_error.filter(|_| sent.is_none()).map(|e| view! {
                <p class="mt-1 text-red-700" data-testid="outbox-error">{move || format!("{}: {e}", tn().last_error)}</p>
            })}
            {dead.then(|| view! { <RetryMessage id=item.id/> })}
        </li>
    }
}

#[island(lazy)]
fn RetryMessage(id: i64) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let retry = move |_| {
        leptos::task::spawn_local(async move {
            match retry_message(id).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(e.message(locale.get_untracked()))),
            }
        });
    };
    view! {
        <button type="button" class=format!("{BUTTON_CLASS} mt-2") data-testid="outbox-retry" on:click=retry
            disabled=move || done.get()>
            {move || if done.get() { tn().outbox_queued } else { tn().retry }}
        </button>
        <p role="alert" class="text-red-700">{move || error.get()}</p>
    }
}
