//! Ordering area, the administrator's use cases on the sales channels: whether a channel's orders
//! paid by invoice wait for the payment before assembly (seed 003's payment check).

use chrono::Utc;
use domain::ordering::workflow::SalesChannel;

use crate::error::AppError;
use crate::model::ChannelSettings;
use crate::services::context::{Acting, RequestInfo, ServerState, store_err};

pub async fn sales_channels(state: &ServerState, info: &RequestInfo) -> Result<Vec<ChannelSettings>, AppError> {
    state.store.sales_channels().await.map_err(store_err(info))
}

/// Switches the channel's payment check on or off; switching it on puts the channel's waiting
/// orders into the accountant's queue, due three banking days from today.
pub async fn set_channel_prepay(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    channel: SalesChannel,
    prepay: bool,
) -> Result<Vec<ChannelSettings>, AppError> {
    let caller = acting.caller()?;
    let now = Utc::now();
    let today = now.with_timezone(&domain::locale::moscow()).date_naive();
    let due = domain::invoicing::banking_days_after(today, domain::invoicing::PAYMENT_CHECK_DAYS);
    let mut actor = info.actor();
    actor.user_id = Some(caller.user.id);
    state.store.set_channel_prepay(channel, prepay, due, &actor, now).await.map_err(store_err(info))?;
    sales_channels(state, info).await
}
