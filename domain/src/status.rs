//! Status machines of orders (заказ), warranty claims (рекламация), shipping requests (заявка на
//! отгрузку), client-profile change requests and supplier products: the allowed transitions, who
//! may make each, what kind each status is and which colour the interface shows it in.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{ErrorCode, Role};

/// Whether a status is still moving, or ended well or badly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    InProgress,
    Success,
    Failure,
}

/// Colour tokens the interface maps to its palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Grey,
    Blue,
    Amber,
    Violet,
    Green,
    Red,
}

pub struct Transition<S: 'static> {
    pub from: S,
    pub to: S,
    pub roles: &'static [Role],
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("cannot go from {from} to {to}")]
    NotAllowed { from: &'static str, to: &'static str },
    #[error("this role may not move from {from} to {to}")]
    RoleNotAllowed { from: &'static str, to: &'static str },
}

impl ErrorCode for TransitionError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotAllowed { .. } => "status.transition_not_allowed",
            Self::RoleNotAllowed { .. } => "status.role_not_allowed",
        }
    }
}

pub trait StatusMachine: Copy + Eq + std::fmt::Debug + 'static {
    const ALL: &'static [Self];
    const INITIAL: Self;
    /// Where a new record may start: the initial status and any alternative entry (an order over
    /// the credit limit starts awaiting approval).
    const ENTRIES: &'static [Self];
    const TRANSITIONS: &'static [Transition<Self>];

    fn code(self) -> &'static str;
    fn kind(self) -> StatusKind;
    fn colour(self) -> Colour;

    /// The status with this stable code.
    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// A status nothing can leave.
    fn is_final(self) -> bool {
        self.kind() != StatusKind::InProgress
    }

    /// The statuses `role` may move this one to.
    fn next(self, role: Role) -> Vec<Self> {
        Self::TRANSITIONS.iter().filter(|t| t.from == self && t.roles.contains(&role)).map(|t| t.to).collect()
    }

    /// Checks a transition; an illegal one is an error, never a panic.
    fn transition(self, to: Self, role: Role) -> Result<Self, TransitionError> {
        let found = Self::TRANSITIONS.iter().find(|t| t.from == self && t.to == to);
        match found {
            None => Err(TransitionError::NotAllowed { from: self.code(), to: to.code() }),
            Some(t) if !t.roles.contains(&role) => {
                Err(TransitionError::RoleNotAllowed { from: self.code(), to: to.code() })
            }
            Some(_) => Ok(to),
        }
    }
}

pub(crate) const fn t<S>(from: S, to: S, roles: &'static [Role]) -> Transition<S> {
    Transition { from, to, roles }
}

use Role::*;
pub(crate) const SALES: &[Role] = &[SalesManager, Head, Admin];
pub(crate) const BUYERS_AND_SALES: &[Role] = &[RetailBuyer, WholesaleBuyer, DealerManager, SalesManager, Head, Admin];
pub(crate) const WAREHOUSE: &[Role] = &[SalesManager, Head, Cashier, Admin];
const DEALER: &[Role] = &[DealerManager, DealerServiceEngineer, DealerEmployee];
const SERVICE: &[Role] = &[ServiceEngineer, Head, Admin];
pub(crate) const HEADS: &[Role] = &[Head, Admin];
const MODERATORS: &[Role] = &[SalesManager, Head, Admin];

macro_rules! machine {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal, $kind:ident, $colour:ident;)* }
     initial $initial:ident $(, $entry:ident)*; transitions [$($from:ident -> $to:ident : $roles:expr,)*]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl StatusMachine for $name {
            const ALL: &'static [Self] = &[$(Self::$variant,)*];
            const INITIAL: Self = Self::$initial;
            const ENTRIES: &'static [Self] = &[Self::$initial $(, Self::$entry)*];
            const TRANSITIONS: &'static [Transition<Self>] = &[$(t(Self::$from, Self::$to, $roles),)*];

            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }

            fn kind(self) -> StatusKind {
                match self { $(Self::$variant => StatusKind::$kind,)* }
            }

            fn colour(self) -> Colour {
                match self { $(Self::$variant => Colour::$colour,)* }
            }
        }
    };
}

machine! {
    /// Статус заказа.
    OrderStatus {
        // Над кредитным лимитом: ждёт согласования руководителя.
        AwaitingApproval => "awaiting_approval", InProgress, Amber;
        New => "new", InProgress, Grey;
        InWork => "in_work", InProgress, Blue;
        AwaitingConfirmation => "awaiting_confirmation", InProgress, Amber;
        Confirmed => "confirmed", InProgress, Blue;
        AwaitingStock => "awaiting_stock", InProgress, Amber;
        AwaitingAssembly => "awaiting_assembly", InProgress, Violet;
        Assembled => "assembled", InProgress, Violet;
        Shipped => "shipped", InProgress, Blue;
        ReadyForPickup => "ready_for_pickup", InProgress, Green;
        Completed => "completed", Success, Green;
        Cancelled => "cancelled", Failure, Red;
    }
    // The site's workflow (a buyer's own order); the other sales channels' are in `workflow`.
    // Buyers cancel their own orders until assembly starts; staff until the goods leave.
    initial New, AwaitingApproval;
    transitions [
        AwaitingApproval -> New: HEADS,
        AwaitingApproval -> Cancelled: BUYERS_AND_SALES,
        New -> InWork: SALES,
        New -> AwaitingStock: SALES,
        New -> Cancelled: BUYERS_AND_SALES,
        InWork -> AwaitingConfirmation: SALES,
        InWork -> Confirmed: SALES,
        InWork -> AwaitingStock: SALES,
        InWork -> Cancelled: BUYERS_AND_SALES,
        AwaitingConfirmation -> Confirmed: BUYERS_AND_SALES,
        AwaitingConfirmation -> InWork: BUYERS_AND_SALES,
        AwaitingConfirmation -> Cancelled: BUYERS_AND_SALES,
        Confirmed -> AwaitingStock: WAREHOUSE,
        Confirmed -> AwaitingAssembly: WAREHOUSE,
        Confirmed -> Cancelled: BUYERS_AND_SALES,
        AwaitingStock -> InWork: SALES,
        AwaitingStock -> AwaitingAssembly: WAREHOUSE,
        AwaitingStock -> Cancelled: BUYERS_AND_SALES,
        AwaitingAssembly -> Assembled: WAREHOUSE,
        AwaitingAssembly -> Cancelled: SALES,
        Assembled -> Shipped: WAREHOUSE,
        Assembled -> ReadyForPickup: WAREHOUSE,
        Assembled -> Cancelled: SALES,
        Shipped -> Completed: WAREHOUSE,
        ReadyForPickup -> Completed: WAREHOUSE,
        ReadyForPickup -> Cancelled: SALES,
    ]
}

machine! {
    /// Статус рекламации (гарантийной претензии).
    ClaimStatus {
        Draft => "draft", InProgress, Grey;
        Submitted => "submitted", InProgress, Blue;
        InReview => "in_review", InProgress, Amber;
        Approved => "approved", InProgress, Green;
        Rejected => "rejected", Failure, Red;
        InRepair => "in_repair", InProgress, Violet;
        Closed => "closed", Success, Green;
    }
    initial Draft;
    transitions [
        Draft -> Submitted: DEALER,
        Submitted -> InReview: SERVICE,
        InReview -> Approved: SERVICE,
        InReview -> Rejected: SERVICE,
        InReview -> Submitted: SERVICE,
        Approved -> InRepair: SERVICE,
        Approved -> Closed: SERVICE,
        InRepair -> Closed: SERVICE,
    ]
}

machine! {
    /// Статус заявки на отгрузку.
    ShippingRequestStatus {
        Draft => "draft", InProgress, Grey;
        Submitted => "submitted", InProgress, Blue;
        Approved => "approved", InProgress, Violet;
        Rejected => "rejected", Failure, Red;
        Shipped => "shipped", InProgress, Blue;
        Delivered => "delivered", Success, Green;
    }
    initial Draft;
    transitions [
        Draft -> Submitted: DEALER,
        Submitted -> Approved: SALES,
        Submitted -> Rejected: SALES,
        Submitted -> Draft: DEALER,
        Approved -> Shipped: WAREHOUSE,
        Shipped -> Delivered: WAREHOUSE,
    ]
}

machine! {
    /// Статус запроса на изменение карточки клиента (подтверждает руководитель).
    ProfileChangeStatus {
        Pending => "pending", InProgress, Amber;
        Approved => "approved", Success, Green;
        Rejected => "rejected", Failure, Red;
    }
    initial Pending;
    transitions [
        Pending -> Approved: HEADS,
        Pending -> Rejected: HEADS,
    ]
}

machine! {
    /// Статус товара поставщика на маркетплейсе. "Returned" is a rejection the supplier may fix.
    SupplierProductStatus {
        Draft => "draft", InProgress, Grey;
        OnModeration => "on_moderation", InProgress, Amber;
        Returned => "returned", InProgress, Red;
        Published => "published", Success, Green;
        Rejected => "rejected", Failure, Red;
    }
    initial Draft;
    transitions [
        Draft -> OnModeration: &[Supplier],
        OnModeration -> Published: MODERATORS,
        OnModeration -> Returned: MODERATORS,
        OnModeration -> Rejected: MODERATORS,
        Returned -> OnModeration: &[Supplier],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    fn check<S: StatusMachine>() {
        // Every status is reachable from an entry point.
        assert!(S::ENTRIES.contains(&S::INITIAL));
        let mut seen = S::ENTRIES.to_vec();
        let mut i = 0;
        while i < seen.len() {
            let current = seen[i];
            for tr in S::TRANSITIONS.iter().filter(|tr| tr.from == current) {
                if !seen.contains(&tr.to) {
                    seen.push(tr.to);
                }
            }
            i += 1;
        }
        for s in S::ALL {
            assert!(seen.contains(s), "{s:?} unreachable");
            let outgoing = S::TRANSITIONS.iter().filter(|tr| tr.from == *s).count();
            if s.is_final() {
                assert_eq!(outgoing, 0, "{s:?} is final but can be left");
            } else {
                assert!(outgoing > 0, "{s:?} is in progress but leads nowhere");
            }
            assert!(S::TRANSITIONS.iter().all(|tr| !tr.roles.is_empty()));
        }
        // Codes are unique.
        let mut codes: Vec<_> = S::ALL.iter().map(|s| s.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), S::ALL.len());
    }

    both! {
        fn every_machine_is_well_formed() {
            check::<OrderStatus>();
            check::<ClaimStatus>();
            check::<ShippingRequestStatus>();
            check::<ProfileChangeStatus>();
            check::<SupplierProductStatus>();
        }
    }

    both! {
        fn illegal_moves_are_errors() {
            assert_eq!(OrderStatus::New.transition(OrderStatus::InWork, Role::SalesManager), Ok(OrderStatus::InWork));
            assert_eq!(
                OrderStatus::New.transition(OrderStatus::Shipped, Role::Admin),
                Err(TransitionError::NotAllowed { from: "new", to: "shipped" })
            );
            assert_eq!(
                OrderStatus::New.transition(OrderStatus::InWork, Role::RetailBuyer).unwrap_err().code(),
                "status.role_not_allowed"
            );
            assert!(OrderStatus::Completed.next(Role::Admin).is_empty());
            assert_eq!(ClaimStatus::Draft.next(Role::DealerServiceEngineer), vec![ClaimStatus::Submitted]);
            assert_eq!(ClaimStatus::Draft.next(Role::ServiceEngineer), vec![]);
            assert_eq!(SupplierProductStatus::OnModeration.transition(SupplierProductStatus::Published, Role::Supplier).unwrap_err().code(), "status.role_not_allowed");
            assert_eq!(OrderStatus::Cancelled.kind(), StatusKind::Failure);
            assert_eq!(OrderStatus::Completed.colour(), Colour::Green);
        }
    }
}
