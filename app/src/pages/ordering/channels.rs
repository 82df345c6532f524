//! Ordering area, the administrator's page of sales channels: per channel, whether orders paid by
//! invoice are assembled only once paid (each waiting order then gets a payment check in the
//! accountant's queue, due three banking days ahead).

use domain::ordering::workflow::SalesChannel;
use leptos::prelude::*;

use super::staff::channel_name;
use crate::api::ordering::{sales_channels, set_channel_prepay};
use crate::components::Cabinet;
use crate::i18n::ordering::t;
use crate::i18n::use_locale;
use crate::model::{ChannelSettings, CurrentUser};

#[component]
pub fn AdminChannelsPage() -> impl IntoView {
    view! { <Cabinet page=channels_page/> }
}

fn channels_page(_user: CurrentUser) -> impl IntoView {
    let data = Resource::new(|| (), |_| sales_channels());
    let locale = use_locale();
    view! {
        <h1 class="mb-1 text-2xl font-bold">{move || t().channels_title}</h1>
        <p class="mb-3 text-sm text-slate-600">{move || t().channels_intro}</p>
        <Suspense fallback=move || view! { <p class="text-slate-500">{move || crate::i18n::t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! {
                        <ul class="space-y-2">
                            {list.into_iter().map(|s| view! { <ChannelLine settings=s/> }).collect_view()}
                        </ul>
                        <a href="/staff/payments" class="mt-3 inline-block text-sky-800 underline">{move || crate::i18n::invoicing::t().checks_title}</a>
                    }.into_any(),
                    Err(e) => view! { <p role="alert" class="text-red-700">{move || e.message(locale.get())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChannelLine(settings: ChannelSettings) -> impl IntoView {
    let ChannelSettings { channel, prepay, open_checks } = settings;
    view! {
        <li class="rounded-xl border border-slate-200 bg-white p-3" data-testid=format!("channel-{}", channel.code())>
            <p class="font-semibold">{move || channel_name(t(), channel)}</p>
            <PrepaySwitch channel prepay open_checks/>
        </li>
    }
}

#[island(lazy)]
fn PrepaySwitch(channel: SalesChannel, prepay: bool, open_checks: i64) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let waiting = RwSignal::new(open_checks);
    let error = RwSignal::new(None::<String>);
    view! {
        <label class="flex min-h-11 items-center gap-2 text-sm">
            <input type="checkbox" class="h-5 w-5" checked=prepay data-testid=format!("prepay-{}", channel.code())
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    leptos::task::spawn_local(async move {
                        match set_channel_prepay(channel, on).await {
                            Ok(all) => {
                                error.set(None);
                                let open = all.iter().find(|s| s.channel == channel).map_or(0, |s| s.open_checks);
                                waiting.set(open);
                            }
                            Err(e) => error.set(Some(e.message(locale.get_untracked()))),
                        }
                    });
                }/>
            <span>{move || t().channel_prepay}</span>
        </label>
        <p class="text-xs text-slate-500" data-testid=format!("open-checks-{}", channel.code())>
            {move || format!("{}: {}", t().channel_open_checks, waiting.get())}
        </p>
        <p role="alert" class="text-sm text-red-700">{move || error.get()}</p>
    }
}
