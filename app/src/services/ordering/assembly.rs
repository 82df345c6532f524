//! Ordering area, use cases of the warehouse: how much of each line is picked, and shipments
//! (partial ones included) — checked by `domain::ordering::assembly`, recorded against the lines
//! as the staff member saw them, completing the order's moves when everything is picked or gone.

use chrono::Utc;
use domain::ErrorCode;
use domain::ordering::assembly::{self, AssemblyError};
use domain::status::OrderStatus;

use super::order_for;
use crate::error::{AppError, FieldError};
use crate::model::OrderDetail;
use crate::ports::{AssemblyChange, StoreError};
use crate::services::context::{Acting, RequestInfo, ServerState, store_err};

/// Records how much of each line is now picked in all (`typed[i]` for line `i`, as typed).
pub async fn record_picks(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    typed: &[String],
) -> Result<OrderDetail, AppError> {
    change(state, info, acting, id, typed, false, "").await
}

/// Records a shipment of `typed[i]` of each line (empty or 0: none of it), with an optional note
/// (a waybill number, the carrier).
pub async fn record_shipment(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    typed: &[String],
    note: &str,
) -> Result<OrderDetail, AppError> {
    change(state, info, acting, id, typed, true, note).await
}

async fn change(
    state: &ServerState,
    info: &RequestInfo,
    acting: &Acting,
    id: i64,
    typed: &[String],
    shipment: bool,
    note: &str,
) -> Result<OrderDetail, AppError> {
    let role = acting.caller()?.user.role;
    let order = state.store.order(id, &acting.reach()?).await.map_err(store_err(info))?.ok_or(AppError::NotFound)?;
    // Whoever may declare this channel's orders assembled records the assembly and the shipments.
    let warehouse =
        order.channel.transitions().iter().any(|t| {
            t.from == OrderStatus::AwaitingAssembly && t.to == OrderStatus::Assembled && t.roles.contains(&role)
        });
    if !warehouse {
        return Err(AppError::Forbidden);
    }
    let stage =
        if shipment { assembly::can_ship(order.status, order.fulfilment) } else { assembly::can_pick(order.status) };
    if !stage {
        return Err(AppError::field("assembly", "assembly.not_now"));
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::field("note", "checkout.too_long"));
    }
    let seen = order.assembly();
    let after = assembly::apply_typed(&seen, typed, shipment).map_err(|e| refusal(&e))?;
    if after == seen {
        return order_for(state, info, acting, id).await;
    }
    // The moves the change completes, each as the role may make it.
    let facts =
        domain::ordering::workflow::OrderFacts { shipped: after.iter().any(|l| l.shipped > 0), ..order.facts() };
    let mut moves = Vec::new();
    let mut at = order.status;
    for (done, to) in
        [(assembly::all_picked(&after), OrderStatus::Assembled), (assembly::all_shipped(&after), OrderStatus::Shipped)]
    {
        if done && order.channel.check(at, to, role, &facts).is_ok() {
            moves.push(to);
            at = to;
        }
    }
    let change = AssemblyChange {
        order_id: id,
        status: order.status,
        seen,
        after,
        shipment,
        note: note.to_string(),
        moves,
        now: Utc::now(),
    };
    let mut actor = info.actor();
    actor.user_id = acting.caller().ok().map(|c| c.user.id);
    match state.store.change_assembly(&change, &actor).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::Conflict(FieldError::new("assembly", "assembly.changed")));
        }
        Err(e) => return Err(info.store_error(e)),
    }
    order_for(state, info, acting, id).await
}

fn refusal(e: &AssemblyError) -> AppError {
    match e {
        // Each problem named by its line (`line-<i>`).
        AssemblyError::Issues(issues) => {
            AppError::Validation(issues.iter().map(|i| FieldError::new(&format!("line-{}", i.line), i.code)).collect())
        }
        other => AppError::field("assembly", other.code()),
    }
}
