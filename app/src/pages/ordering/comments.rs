//! Ordering area, the comments of an order: what the buyer and staff write to each other, and
//! staff's internal notes (marked, never shown to the buyer), with a form for a new one.

use leptos::prelude::*;

use crate::components::form::{BUTTON_CLASS, INPUT_CLASS};
use crate::i18n::ordering::t;
use crate::i18n::{code_message, use_locale};
use crate::model::OrderComment;

#[component]
pub(super) fn Comments(order_id: i64, comments: Vec<OrderComment>, staff: bool) -> impl IntoView {
    let locale = use_locale();
    let items = comments
        .into_iter()
        .map(|c| {
            let OrderComment { at, by: (name, role), body, for_buyer } = c;
            let class = if for_buyer {
                "rounded-lg border border-slate-200 p-2"
            } else {
                "rounded-lg border border-amber-200 bg-amber-50 p-2"
            };
            view! {
                <li class=class data-testid="comment">
                    <p class="text-xs text-slate-500">
                        {name} " (" {move || crate::i18n::role_name(locale.get(), role)} ") · "
                        {move || locale.get().format_datetime(at, domain::locale::moscow())}
                        {(!for_buyer).then(|| view! { " · " <span class="font-semibold text-amber-900" data-testid="comment-internal">{move || t().comment_internal}</span> })}
                    </p>
                    <p class="whitespace-pre-line break-words" data-testid="comment-body">{body}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="mt-4 rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="comments">
            <h2 class="mb-2 font-semibold">{move || t().comments}</h2>
            <ul class="space-y-2">{items}</ul>
            <CommentForm order_id staff/>
        </section>
    }
}

/// A new comment: the buyer's goes to the seller; staff choose whether the buyer sees theirs.
#[island(lazy)]
fn CommentForm(order_id: i64, staff: bool) -> impl IntoView {
    crate::components::island::hydrated();
    let locale = use_locale();
    let body = RwSignal::new(String::new());
    let for_buyer = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let send = move |_| {
        // The same rule the server applies, at once.
        if let Err(code) = domain::ordering::comment(&body.get_untracked()) {
            error.set(Some(code_message(locale.get_untracked(), code)));
            return;
        }
        pending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let text = body.get_untracked();
            let sent = if staff {
                crate::api::ordering::staff_comment_order(order_id, text, for_buyer.get_untracked()).await
            } else {
                crate::api::ordering::comment_order(order_id, text).await
            };
            match sent {
                Ok(_) => super::super::go(&format!("{}/{order_id}", if staff { "/staff/orders" } else { "/orders" })),
                Err(e) => {
                    let l = locale.get_untracked();
                    error.set(Some(e.field_code("body").map(|c| code_message(l, c)).unwrap_or_else(|| e.message(l))));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <div class="mt-3 space-y-2">
            <label class="block font-medium" for="comment-body">{move || if staff { t().comment_staff_label } else { t().comment_label }}</label>
            <textarea id="comment-body" rows="3" class=INPUT_CLASS data-testid="comment-input" maxlength="2000"
                aria-invalid=move || error.get().is_some().to_string()
                on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            {staff.then(|| view! {
                <label class="flex items-center gap-2">
                    <input type="checkbox" class="h-5 w-5" data-testid="comment-for-buyer"
                        on:change=move |ev| for_buyer.set(event_target_checked(&ev))/>
                    {move || t().comment_for_buyer}
                </label>
            })}
            <p role="alert" class="text-sm text-red-700" data-testid="comment-error">{move || error.get()}</p>
            <button type="button" class=BUTTON_CLASS data-testid="comment-send" on:click=send disabled=move || pending.get()>
                {move || t().comment_send}
            </button>
        </div>
    }
}
