//! Ordering area: how an order moves, per sales channel. Each channel has its own process (seed
//! 003: the site's orders, a manager's orders for clients, a retail point's sales, dealers'
//! requests), built from one set of statuses ([`OrderStatus`], with its colours), each move with
//! the roles that may make it. Beyond the status, an order's facts decide too: goods for pickup
//! are made ready at the point, not shipped; an order paid online is assembled only once paid.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ErrorCode;
use crate::ordering::{Fulfilment, PaymentMethod, PaymentStatus};
use crate::role::Role::{self, *};
use crate::status::{HEADS, OrderStatus, SALES, StatusMachine, Transition, TransitionError, WAREHOUSE, t};

coded! {
    /// Where an order came from; each channel has its own workflow.
    SalesChannel {
        /// The buyer's own order on the site (retail and wholesale buyers).
        Site => "site",
        /// Placed by a sales manager for a client.
        Manager => "manager",
        /// A sale at a retail point's till.
        Shop => "shop",
        /// A dealer's request.
        Dealer => "dealer",
    }
}

use OrderStatus::*;

const DEALERS_AND_SALES: &[Role] = &[DealerManager, DealerEmployee, SalesManager, Head, Admin];
const CLIENTS_AND_SALES: &[Role] = &[RetailBuyer, WholesaleBuyer, SalesManager, Head, Admin];
const TILL: &[Role] = &[Cashier, Head, Admin];

/// A manager's order was agreed with the client when it was placed (a confirmation code), so it
/// starts confirmed in all but name: no separate confirmation stage.
const MANAGER: &[Transition<OrderStatus>] = &[
    t(AwaitingApproval, New, HEADS),
    t(AwaitingApproval, Cancelled, SALES),
    t(New, Confirmed, SALES),
    t(New, AwaitingStock, SALES),
    t(New, Cancelled, CLIENTS_AND_SALES),
    t(Confirmed, AwaitingAssembly, WAREHOUSE),
    t(Confirmed, AwaitingStock, WAREHOUSE),
    t(Confirmed, Cancelled, CLIENTS_AND_SALES),
    t(AwaitingStock, Confirmed, SALES),
    t(AwaitingStock, AwaitingAssembly, WAREHOUSE),
    t(AwaitingStock, Cancelled, CLIENTS_AND_SALES),
    t(AwaitingAssembly, Assembled, WAREHOUSE),
    t(AwaitingAssembly, Cancelled, SALES),
    t(Assembled, Shipped, WAREHOUSE),
    t(Assembled, ReadyForPickup, WAREHOUSE),
    t(Assembled, Cancelled, SALES),
    t(Shipped, Completed, WAREHOUSE),
    t(ReadyForPickup, Completed, WAREHOUSE),
    t(ReadyForPickup, Cancelled, SALES),
];

/// A sale at the till is paid and handed over at once; until then it can be dropped.
const SHOP: &[Transition<OrderStatus>] = &[t(New, Completed, TILL), t(New, Cancelled, TILL)];

/// A dealer's request: the seller's manager takes it into work and confirms it; the dealer may
/// withdraw it until assembly.
const DEALER: &[Transition<OrderStatus>] = &[
    t(AwaitingApproval, New, HEADS),
    t(AwaitingApproval, Cancelled, DEALERS_AND_SALES),
    t(New, InWork, SALES),
    t(New, Cancelled, DEALERS_AND_SALES),
    t(InWork, Confirmed, SALES),
    t(InWork, AwaitingStock, SALES),
    t(InWork, Cancelled, DEALERS_AND_SALES),
    t(Confirmed, AwaitingAssembly, WAREHOUSE),
    t(Confirmed, AwaitingStock, WAREHOUSE),
    t(Confirmed, Cancelled, DEALERS_AND_SALES),
    t(AwaitingStock, AwaitingAssembly, WAREHOUSE),
    t(AwaitingStock, Cancelled, DEALERS_AND_SALES),
    t(AwaitingAssembly, Assembled, WAREHOUSE),
    t(AwaitingAssembly, Cancelled, SALES),
    t(Assembled, Shipped, WAREHOUSE),
    t(Assembled, ReadyForPickup, WAREHOUSE),
    t(Assembled, Cancelled, SALES),
    t(Shipped, Completed, WAREHOUSE),
    t(ReadyForPickup, Completed, WAREHOUSE),
    t(ReadyForPickup, Cancelled, SALES),
];

/// The statuses an order is in before its assembly starts (what waits for a payment check).
pub const BEFORE_ASSEMBLY: &[OrderStatus] =
    &[AwaitingApproval, New, InWork, AwaitingConfirmation, Confirmed, AwaitingStock];

/// What about an order, beside its status, decides whether a move is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFacts {
    pub fulfilment: Fulfilment,
    pub payment_method: PaymentMethod,
    pub payment_status: PaymentStatus,
    /// Some of it has already left the warehouse: what has left comes back as a return, so the
    /// order can no longer be cancelled.
    #[serde(default)]
    pub shipped: bool,
    /// The order's channel assembles orders paid by invoice only once the money is in (the
    /// administrator's setting per channel, seed 003's "payment check").
    #[serde(default)]
    pub prepay: bool,
}

impl OrderFacts {
    /// Whether assembly waits for the payment: orders paid online always (goods are not picked
    /// until the money is in), orders paid by invoice where the channel says so; orders paid at
    /// pickup never.
    pub fn waits_for_payment(&self) -> bool {
        match self.payment_method {
            PaymentMethod::Online => true,
            PaymentMethod::Invoice => self.prepay,
            PaymentMethod::OnPickup => false,
        }
    }
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoveError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// Orders paid online are assembled only once the money is in.
    #[error("the order must be paid before assembly")]
    Unpaid,
    /// Pickup orders are made ready at the point; delivery orders are shipped.
    #[error("this move does not fit how the order is received")]
    WrongFulfilment,
    /// Part of the order has been shipped.
    #[error("part of the order has already been shipped")]
    PartlyShipped,
}

impl ErrorCode for MoveError {
    fn code(&self) -> &'static str {
        match self {
            Self::Transition(e) => e.code(),
            Self::Unpaid => "status.unpaid",
            Self::WrongFulfilment => "status.wrong_fulfilment",
            Self::PartlyShipped => "status.partly_shipped",
        }
    }
}

/// Until when an order paid online holds its reserved stock unpaid (`None`: it does not wait for
/// a payment, or it has moved on). Past that the server cancels it and the stock returns.
pub fn unpaid_hold_until(
    status: OrderStatus,
    facts: &OrderFacts,
    placed_at: chrono::DateTime<chrono::Utc>,
    hold: chrono::Duration,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let waiting =
        status == New && facts.payment_method == PaymentMethod::Online && facts.payment_status != PaymentStatus::Paid;
    waiting.then(|| placed_at + hold)
}

impl SalesChannel {
    /// The channel of an order its buyer places: dealers' staff file dealer requests.
    pub fn of_buyer(role: Role) -> Self {
        match role {
            DealerManager | DealerEmployee | DealerServiceEngineer => Self::Dealer,
            _ => Self::Site,
        }
    }

    /// The statuses an order of this channel starts in.
    pub fn entries(self) -> &'static [OrderStatus] {
        match self {
            Self::Site => OrderStatus::ENTRIES,
            Self::Manager | Self::Dealer => &[New, AwaitingApproval],
            Self::Shop => &[New],
        }
    }

    /// Every move of this channel's workflow and who may make it.
    pub fn transitions(self) -> &'static [Transition<OrderStatus>] {
        match self {
            Self::Site => OrderStatus::TRANSITIONS,
            Self::Manager => MANAGER,
            Self::Shop => SHOP,
            Self::Dealer => DEALER,
        }
    }

    /// The statuses an order of this channel can be in, in the order of [`OrderStatus::ALL`]
    /// (the status chips of a queue).
    pub fn statuses(self) -> Vec<OrderStatus> {
        OrderStatus::ALL
            .iter()
            .copied()
            .filter(|s| self.entries().contains(s) || self.transitions().iter().any(|t| t.to == *s))
            .collect()
    }

    /// Checks one move by `role` of an order with these facts.
    pub fn check(self, from: OrderStatus, to: OrderStatus, role: Role, facts: &OrderFacts) -> Result<(), MoveError> {
        match self.transitions().iter().find(|t| t.from == from && t.to == to) {
            None => return Err(TransitionError::NotAllowed { from: from.code(), to: to.code() }.into()),
            Some(t) if !t.roles.contains(&role) => {
                return Err(TransitionError::RoleNotAllowed { from: from.code(), to: to.code() }.into());
            }
            Some(_) => {}
        }
        let wrong_way = match to {
            Shipped => facts.fulfilment != Fulfilment::Delivery,
            ReadyForPickup => facts.fulfilment != Fulfilment::Pickup,
            _ => false,
        };
        if wrong_way {
            return Err(MoveError::WrongFulfilment);
        }
        if to == Cancelled && facts.shipped {
            return Err(MoveError::PartlyShipped);
        }
        if to == AwaitingAssembly && facts.waits_for_payment() && facts.payment_status != PaymentStatus::Paid {
            return Err(MoveError::Unpaid);
        }
        Ok(())
    }

    /// The moves `role` may make now (what the order page offers as buttons).
    pub fn moves(self, from: OrderStatus, role: Role, facts: &OrderFacts) -> Vec<OrderStatus> {
        self.transitions()
            .iter()
            .filter(|t| t.from == from && self.check(from, t.to, role, facts).is_ok())
            .map(|t| t.to)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::StatusKind;
    use crate::test_support::both;

    fn facts(fulfilment: Fulfilment, payment_method: PaymentMethod, payment_status: PaymentStatus) -> OrderFacts {
        OrderFacts { fulfilment, payment_method, payment_status, shipped: false, prepay: false }
    }

    both! {
        fn every_channel_workflow_is_well_formed() {
            for channel in SalesChannel::ALL.iter().copied() {
                let transitions = channel.transitions();
                // Every status of the channel is reachable from one of its entries…
                let mut seen = channel.entries().to_vec();
                let mut i = 0;
                while i < seen.len() {
                    let current = seen[i];
                    for tr in transitions.iter().filter(|tr| tr.from == current) {
                        if !seen.contains(&tr.to) {
                            seen.push(tr.to);
                        }
                    }
                    i += 1;
                }
                assert_eq!(seen.len(), channel.statuses().len(), "{channel:?}");
                for s in channel.statuses() {
                    let outgoing = transitions.iter().filter(|tr| tr.from == s).count();
                    // …finals are final, everything else leads on, and every move has its roles.
                    assert_eq!(s.is_final(), outgoing == 0, "{channel:?} {s:?}");
                    // (What has left the warehouse comes back as a return, not a cancellation.)
                    if !s.is_final() && s != Shipped {
                        assert!(transitions.iter().any(|tr| tr.from == s && tr.to == Cancelled), "{channel:?}: {s:?} cannot be cancelled");
                    }
                }
                assert!(transitions.iter().all(|tr| !tr.roles.is_empty()));
                assert!(channel.statuses().contains(&Completed) && channel.statuses().contains(&Cancelled));
                // No move is listed twice.
                for (a, x) in transitions.iter().enumerate() {
                    assert!(transitions[a + 1..].iter().all(|y| (x.from, x.to) != (y.from, y.to)), "{channel:?}");
                }
            }
            assert_eq!(SalesChannel::Shop.statuses(), vec![New, Completed, Cancelled]);
            // Every way into assembly starts from a status before it.
            for channel in SalesChannel::ALL {
                for tr in channel.transitions().iter().filter(|tr| tr.to == AwaitingAssembly) {
                    assert!(BEFORE_ASSEMBLY.contains(&tr.from), "{channel:?} {:?}", tr.from);
                }
            }
            assert!(!BEFORE_ASSEMBLY.iter().any(|s| s.is_final()));
        }
    }

    both! {
        fn moves_follow_roles_and_facts() {
            let pickup_online_unpaid = facts(Fulfilment::Pickup, PaymentMethod::Online, PaymentStatus::Unpaid);
            let pickup_online_paid = facts(Fulfilment::Pickup, PaymentMethod::Online, PaymentStatus::Paid);
            let delivery_invoice = facts(Fulfilment::Delivery, PaymentMethod::Invoice, PaymentStatus::Unpaid);
            let site = SalesChannel::Site;
            // The manager takes a site order into work; the buyer may not.
            assert_eq!(site.check(New, InWork, SalesManager, &delivery_invoice), Ok(()));
            assert_eq!(
                site.check(New, InWork, WholesaleBuyer, &delivery_invoice).unwrap_err().code(),
                "status.role_not_allowed"
            );
            assert_eq!(site.check(New, Shipped, Admin, &delivery_invoice).unwrap_err().code(), "status.transition_not_allowed");
            // Paid online: assembly waits for the money; on credit it does not.
            assert_eq!(site.check(Confirmed, AwaitingAssembly, SalesManager, &pickup_online_unpaid), Err(MoveError::Unpaid));
            assert_eq!(site.check(Confirmed, AwaitingAssembly, SalesManager, &pickup_online_paid), Ok(()));
            assert_eq!(site.check(Confirmed, AwaitingAssembly, SalesManager, &delivery_invoice), Ok(()));
            // By invoice: at once on credit, after the payment where the channel asks for it.
            let prepaid = OrderFacts { prepay: true, ..delivery_invoice };
            assert_eq!(site.check(Confirmed, AwaitingAssembly, SalesManager, &prepaid), Err(MoveError::Unpaid));
            assert!(!site.moves(Confirmed, SalesManager, &prepaid).contains(&AwaitingAssembly));
            let paid_invoice = OrderFacts { payment_status: PaymentStatus::Paid, ..prepaid };
            assert_eq!(site.check(Confirmed, AwaitingAssembly, SalesManager, &paid_invoice), Ok(()));
            let at_pickup = facts(Fulfilment::Pickup, PaymentMethod::OnPickup, PaymentStatus::Unpaid);
            assert!(!OrderFacts { prepay: true, ..at_pickup }.waits_for_payment());
            // Pickup orders are made ready at the point, delivery orders shipped.
            assert_eq!(site.moves(Assembled, Cashier, &pickup_online_paid), vec![ReadyForPickup]);
            assert_eq!(site.moves(Assembled, Cashier, &delivery_invoice), vec![Shipped]);
            assert_eq!(site.check(Assembled, Shipped, Head, &pickup_online_paid), Err(MoveError::WrongFulfilment));
            // Buyers cancel until assembly starts; afterwards only staff (with a reason).
            assert!(site.moves(Confirmed, RetailBuyer, &pickup_online_paid).contains(&Cancelled));
            assert!(!site.moves(AwaitingAssembly, RetailBuyer, &pickup_online_paid).contains(&Cancelled));
            assert!(site.moves(AwaitingAssembly, SalesManager, &pickup_online_paid).contains(&Cancelled));
            assert!(site.moves(Shipped, Admin, &delivery_invoice).iter().all(|s| *s != Cancelled));
            // Once part of it has left, an order is no longer cancelled (what left comes back as a return).
            let partly = OrderFacts { shipped: true, ..delivery_invoice };
            assert_eq!(site.check(Assembled, Cancelled, Admin, &partly), Err(MoveError::PartlyShipped));
            assert_eq!(site.check(Assembled, Shipped, Admin, &partly), Ok(()));
            // The till completes its own sales; a manager's order skips the confirmation stage.
            assert_eq!(SalesChannel::Shop.moves(New, Cashier, &pickup_online_paid), vec![Completed, Cancelled]);
            assert!(SalesChannel::Shop.moves(New, SalesManager, &pickup_online_paid).is_empty());
            assert!(SalesChannel::Manager.moves(New, SalesManager, &delivery_invoice).contains(&Confirmed));
            assert!(!SalesChannel::Manager.statuses().contains(&AwaitingConfirmation));
            // A dealer withdraws its request before assembly; a retail buyer has no say in it.
            assert!(SalesChannel::Dealer.moves(InWork, DealerEmployee, &delivery_invoice).contains(&Cancelled));
            assert!(SalesChannel::Dealer.moves(InWork, RetailBuyer, &delivery_invoice).is_empty());
            assert_eq!(ReadyForPickup.kind(), StatusKind::InProgress);
            assert_eq!(SalesChannel::of_buyer(DealerManager), SalesChannel::Dealer);
            assert_eq!(SalesChannel::of_buyer(RetailBuyer), SalesChannel::Site);
            // An unpaid online order holds its stock for a while; paid, on credit or moved on, it does not wait.
            let placed = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
            let hold = chrono::Duration::minutes(30);
            assert_eq!(unpaid_hold_until(New, &pickup_online_unpaid, placed, hold), Some(placed + hold));
            assert_eq!(unpaid_hold_until(New, &pickup_online_paid, placed, hold), None);
            assert_eq!(unpaid_hold_until(New, &delivery_invoice, placed, hold), None);
            assert_eq!(unpaid_hold_until(InWork, &pickup_online_unpaid, placed, hold), None);
        }
    }
}
