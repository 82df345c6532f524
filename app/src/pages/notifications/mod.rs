//! Notifications area, pages: the bell in every cabinet's header (live over server-sent events),
//! the person's notifications, their channel choices (on the profile page), and the
//! administrator's pages (`admin`).

mod admin;

pub use admin::{AdminNotificationsPage, AdminOutboxPage, AdminTemplatePage};

use domain::notifications::{Channel, Notice};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::notifications::{
    list_notifications, mark_notifications_read, notification_preferences, set_notification_preference,
};
use crate::components::Cabinet;
use crate::components::form::SECONDARY_BUTTON_CLASS;
use crate::i18n::notifications::{notice_name, t as tn};
use crate::i18n::{t, use_locale};
use crate::model::{CurrentUser, NotificationItem, Preference};

const ICON_BELL: &str = "M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0";

#[cfg(feature = "hydrate")]
thread_local! {
    /// The unread count as this page last learned it (the live stream, or a mark made here).
    static UNREAD: ArcRwSignal<Option<i64>> = ArcRwSignal::new(None);
}

/// Tells the bell the unread count after a change made on this page.
fn tell_bell(unread: i64) {
    #[cfg(feature = "hydrate")]
    UNREAD.with(|u| u.set(Some(unread)));
    #[cfg(not(feature = "hydrate"))]
    let _ = unread;
}

/// The bell: the unread count from the page's first paint, then live.
#[island(lazy)]
pub fn Bell(unread: i64) -> impl IntoView {
    crate::components::island::hydrated();
    // The island's language, provided once here for the texts read in its closures.
    let _ = use_locale();
    #[cfg(feature = "hydrate")]
    let live = UNREAD.with(Clone::clone);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;
        if let Ok(source) = web_sys::EventSource::new("/events/notifications") {
            let shared = live.clone();
            let on_unread = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(n) = ev.data().as_string().and_then(|t| t.trim().parse::<i64>().ok()) {
                    shared.set(Some(n));
                }
            });
            let _ = source.add_event_listener_with_callback("unread", on_unread.as_ref().unchecked_ref());
            on_unread.forget();
            // The page's lifetime: the browser closes the stream when the page goes.
            std::mem::forget(source);
        }
    }
    #[cfg(feature = "hydrate")]
    let count = Signal::derive(move || live.get().unwrap_or(unread));
    #[cfg(not(feature = "hydrate"))]
    let count = Signal::derive(move || unread);
    let label = move || format!("{}: {} {}", tn().bell_label, count.get(), tn().unread_suffix);
    view! {
        <a href="/notifications" data-testid="bell" aria-label=label
            class="relative flex min-h-11 min-w-11 items-center justify-center rounded-lg hover:bg-slate-100">
            <crate::components::Icon path=ICON_BELL/>
            <span data-testid="bell-count" hidden=move || count.get() == 0
                class="absolute right-0.5 top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-bold leading-5 text-white">
                {move || match count.get() {
                    n if n > 99 => "99+".to_string(),
                    n => n.to_string(),
                }}
            </span>
        </a>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! { <Cabinet page=notifications_page/> }
}

fn notifications_page(_user: CurrentUser) -> impl IntoView {
    let before = use_query_map().with_untracked(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let data = Resource::new(move || (), move |_| list_notifications(before));
    let locale = use_locale();
    view! {
        <h1 class="mb-3 text-2xl font-bold">{move || tn().page_title}</h1>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => {
                        let older = list.next_before.map(|b| view! {
                            <a href=format!("/notifications?before={b}") class=SECONDARY_BUTTON_CLASS data-testid="older">
                                {move || tn().older}
                            </a>
                        });
                        let empty = list.items.is_empty();
                        view! {
                            <NotificationList items=list.items unread=list.unread/>
                            {empty.then(|| view! { <p class="text-slate-600" data-testid="no-notifications">{move || tn().empty}</p> })}
                            <div class="mt-3">{older}</div>
                        }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The list, with "mark read" for each unread one and for all; opening one marks it read.
#[island(lazy)]
fn NotificationList(items: Vec<NotificationItem>, unread: i64) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let unread = RwSignal::new(unread);
    let read_ids = RwSignal::new(Vec::<i64>::new());
    let mark = move |id: Option<i64>| {
        leptos::task::spawn_local(async move {
            if let Ok(n) = mark_notifications_read(id).await {
                unread.set(n);
                tell_bell(n);
                match id {
                    Some(id) => read_ids.update(|r| r.push(id)),
                    None => read_ids.set(vec![i64::MAX]),
                }
            }
        });
    };
    let rows = items
        .into_iter()
        .map(|n| {
            let id = n.id;
            let was_read = n.read;
            let is_read = move || was_read || read_ids.with(|r| r.contains(&id) || r.contains(&i64::MAX));
            let when = move || locale.get().format_datetime(n.created_at, domain::locale::moscow());
            let link = n.link.clone().map(|href| {
                // Only this site's own pages are linked; the path part of the stored address.
                let path = href.find("://").and_then(|i| href[i + 3..].find('/').map(|j| href[i + 3 + j..].to_string()));
                path.unwrap_or(href)
            });
            view! {
                <li data-testid="notification" data-read=move || is_read().to_string()
                    class="rounded-xl border border-slate-200 bg-white p-3 data-[read=false]:border-sky-300 data-[read=false]:bg-sky-50">
                    <div class="flex items-start justify-between gap-2">
                        <p class="font-semibold">
                            {match link {
                                Some(href) => view! {
                                    <a href=href class="text-sky-800 underline" on:click=move |_| if !is_read() { mark(Some(id)) }>{n.title.clone()}</a>
                                }.into_any(),
                                None => view! { <span>{n.title.clone()}</span> }.into_any(),
                            }}
                        </p>
                        <span class="shrink-0 text-xs text-slate-500">{when}</span>
                    </div>
                    <p class="mt-1 whitespace-pre-line text-sm text-slate-700">{n.body}</p>
                    <Show when=move || !is_read()>
                        <button type="button" class="mt-1 min-h-11 text-sm text-sky-800 underline" data-testid="mark-read"
                            on:click=move |_| mark(Some(id))>{move || tn().mark_read}</button>
                    </Show>
                </li>
            }
        })
        .collect_view();
    view! {
        <Show when=move || { unread.get() > 0 }>
            <button type="button" class=format!("{SECONDARY_BUTTON_CLASS} mb-3") data-testid="mark-all-read"
                on:click=move |_| mark(None)>{move || tn().mark_all_read}</button>
        </Show>
        <ul class="space-y-2" data-testid="notifications">{rows}</ul>
    }
}

/// The profile's section: which notices the person gets by e-mail and SMS.
#[component]
pub fn NotificationPreferences() -> impl IntoView {
    let data = Resource::new(|| (), |_| notification_preferences());
    view! {
        <section class="rounded-2xl border border-slate-200 bg-white p-4 md:p-6" data-testid="notification-preferences">
            <h2 class="text-lg font-semibold">{move || tn().prefs_title}</h2>
            <p class="mb-3 text-sm text-slate-600">{move || tn().prefs_hint}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    data.await.ok().map(|prefs| view! { <PreferenceSwitches prefs/> })
                })}
            </Suspense>
        </section>
    }
}

#[island(lazy)]
fn PreferenceSwitches(prefs: Vec<Preference>) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let error = RwSignal::new(None::<String>);
    let rows = prefs
        .into_iter()
        .map(|p| {
            let boxes = Channel::ALL
                .iter()
                .map(|&channel| {
                    let allowed = p.switched_on.allows(channel);
                    let checked = allowed && p.wanted.allows(channel);
                    let label = move || match channel {
                        Channel::Email => tn().channel_email,
                        Channel::Sms => tn().channel_sms,
                    };
                    view! {
                        <label class="flex min-h-11 items-center gap-2" title=move || (!allowed).then(|| tn().prefs_off_by_admin)>
                            <input type="checkbox" class="h-5 w-5" checked=checked disabled=!allowed
                                data-testid=format!("pref-{}-{}", p.notice.code(), channel.code())
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    leptos::task::spawn_local(async move {
                                        let saved = set_notification_preference(p.notice, channel, on).await;
                                        error.set(saved.err().map(|e| e.message(locale.get_untracked())));
                                    });
                                }/>
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view();
            let notice: Notice = p.notice;
            view! {
                <li class="flex flex-wrap items-center justify-between gap-x-4 border-t border-slate-100 py-2">
                    <span class="min-w-0">{move || notice_name(locale.get(), notice)}</span>
                    <span class="flex gap-4">{boxes}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul>{rows}</ul>
        <p role="alert" class="text-sm text-red-700">{move || error.get()}</p>
    }
}
