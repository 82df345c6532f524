//! Ordering rules (заказ): how an order is received (самовывоз or доставка) and paid, which
//! payment methods a buyer may choose, which orders can still be paid online, and where the units
//! of an order are reserved. The browser offers what these functions allow; the server refuses
//! anything else with the same functions.

use serde::{Deserialize, Serialize};

use crate::pricing::PriceType;
use crate::role::OrgKind;
use crate::status::{OrderStatus, StatusMachine};

pub mod assembly;
pub mod workflow;

coded! {
    /// How the buyer receives the order.
    Fulfilment {
        /// Самовывоз: from a pickup point (a retail point or a warehouse desk).
        Pickup => "pickup",
        /// Доставка to an address.
        Delivery => "delivery",
    }
}

coded! {
    /// How an order is paid.
    PaymentMethod {
        Online => "online",
        OnPickup => "on_pickup",
        /// Against an invoice (счёт), on credit with the client's deferral (wholesale, dealers).
        Invoice => "invoice",
    }
}

coded! {
    /// Where an order's payment stands.
    PaymentStatus {
        Unpaid => "unpaid",
        Pending => "pending",
        Paid => "paid",
        Declined => "declined",
    }
}

/// Wholesale clients and dealers buying at their own price list order on credit against an
/// invoice; everyone else pays online or on pickup.
pub fn buys_on_credit(kind: OrgKind, price_type: PriceType) -> bool {
    matches!(kind, OrgKind::Client | OrgKind::Dealer) && price_type != PriceType::Retail
}

/// The payment methods offered for this fulfilment, in the order they are shown.
/// Online payment is offered only when a payment provider is configured (`online`).
pub fn payment_methods(on_credit: bool, fulfilment: Fulfilment, online: bool) -> Vec<PaymentMethod> {
    let all: &[PaymentMethod] = match (on_credit, fulfilment) {
        (true, _) => &[PaymentMethod::Invoice],
        (false, Fulfilment::Pickup) => &[PaymentMethod::Online, PaymentMethod::OnPickup],
        (false, Fulfilment::Delivery) => &[PaymentMethod::Online],
    };
    all.iter().copied().filter(|m| online || *m != PaymentMethod::Online).collect()
}

/// The fulfilments offered: buyers on credit receive by delivery (their orders ship from the
/// warehouse), everyone else may also pick up — and have delivered only what they can pay for
/// (online), so without a payment provider they pick up.
pub fn fulfilments(on_credit: bool, online: bool) -> Vec<Fulfilment> {
    if on_credit {
        return vec![Fulfilment::Delivery];
    }
    [Fulfilment::Pickup, Fulfilment::Delivery]
        .into_iter()
        .filter(|f| !payment_methods(on_credit, *f, online).is_empty())
        .collect()
}

/// Whether a new online payment may be started for an order: it is paid online, not paid yet, and
/// still open (neither cancelled nor completed).
pub fn payable_online(method: PaymentMethod, payment: PaymentStatus, status: OrderStatus) -> bool {
    method == PaymentMethod::Online && payment != PaymentStatus::Paid && !status.is_final()
}

/// Kind of a place that holds stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Warehouse,
    /// A pickup point (a retail shop's stock).
    Pickup,
}

impl LocationKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Warehouse => "warehouse",
            Self::Pickup => "pickup",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Warehouse, Self::Pickup].into_iter().find(|k| k.code() == code)
    }
}

/// Available stock of one product at one location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockAt {
    pub product_id: i64,
    pub location_id: i64,
    pub kind: LocationKind,
    /// Thousandths of the product's unit.
    pub quantity: i64,
}

/// Where each unit of an order is reserved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReservationPlan {
    /// (product, location, quantity taken there), by product then location.
    pub takes: Vec<(i64, i64, i64)>,
    /// (product, quantity taken in all), by product.
    pub per_product: Vec<(i64, i64)>,
}

/// Plans where an order's units come from: for each line `(product, quantity)` in order,
/// warehouses first, then pickup points, the lowest location id first within a kind. A product
/// on several lines draws on the same stock. Lines that cannot be filled are returned (product
/// ids, in line order) and nothing is planned.
pub fn plan_reservation(lines: &[(i64, i64)], stock: &[StockAt]) -> Result<ReservationPlan, Vec<i64>> {
    use std::collections::BTreeMap;
    let mut left: BTreeMap<i64, Vec<StockAt>> = BTreeMap::new();
    for s in stock {
        left.entry(s.product_id).or_default().push(*s);
    }
    let warehouses_first = |k: LocationKind| if k == LocationKind::Warehouse { 0 } else { 1 };
    for rows in left.values_mut() {
        rows.sort_by_key(|s| (warehouses_first(s.kind), s.location_id));
    }
    let mut takes: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    let mut per_product: BTreeMap<i64, i64> = BTreeMap::new();
    let mut short = Vec::new();
    for &(product, quantity) in lines {
        let mut want = quantity;
        for at in left.get_mut(&product).into_iter().flatten() {
            let take = want.min(at.quantity);
            if take > 0 {
                at.quantity -= take;
                want -= take;
                *takes.entry((product, at.location_id)).or_default() += take;
            }
        }
        if want > 0 {
            short.push(product);
        } else {
            *per_product.entry(product).or_default() += quantity;
        }
    }
    if !short.is_empty() {
        return Err(short);
    }
    Ok(ReservationPlan {
        takes: takes.into_iter().map(|((p, l), q)| (p, l, q)).collect(),
        per_product: per_product.into_iter().collect(),
    })
}

/// How many of the lines `(product, quantity)` one location can give out in full, from its stock
/// `(product, quantity)` there: a pickup point can serve the whole cart when this equals the
/// number of lines.
pub fn lines_available(lines: &[(i64, i64)], stock_here: &[(i64, i64)]) -> usize {
    lines.len() - lines_short(lines, stock_here).len()
}

/// Longest comment on an order, in characters.
pub const COMMENT_MAX: usize = 2000;

/// A comment on an order as it is kept: trimmed, not empty, at most [`COMMENT_MAX`] characters.
pub fn comment(text: &str) -> Result<&str, &'static str> {
    let text = text.trim();
    match text.chars().count() {
        0 => Err("comment.empty"),
        n if n > COMMENT_MAX => Err("comment.too_long"),
        _ => Ok(text),
    }
}

/// The positions of the lines one location cannot give out in full.
pub fn lines_short(lines: &[(i64, i64)], stock_here: &[(i64, i64)]) -> Vec<usize> {
    let has = |product: i64, want: i64| stock_here.iter().any(|&(p, q)| p == product && q >= want);
    lines.iter().enumerate().filter(|&(_, &(product, want))| !has(product, want)).map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    fn at(product_id: i64, location_id: i64, quantity: i64, kind: LocationKind) -> StockAt {
        StockAt { product_id, location_id, kind, quantity }
    }

    both! {
        fn comments_are_trimmed_and_bounded() {
            assert_eq!(comment("  Позвоните перед доставкой \n"), Ok("Позвоните перед доставкой"));
            assert_eq!(comment(" \n "), Err("comment.empty"));
            assert_eq!(comment(&"я".repeat(COMMENT_MAX)).map(|c| c.chars().count()), Ok(COMMENT_MAX));
            assert_eq!(comment(&"я".repeat(COMMENT_MAX + 1)), Err("comment.too_long"));
        }
    }

    both! {
        fn codes_round_trip() {
            for f in Fulfilment::ALL {
                assert_eq!(Fulfilment::parse(f.code()), Some(*f));
            }
            for m in PaymentMethod::ALL {
                assert_eq!(PaymentMethod::parse(m.code()), Some(*m));
            }
            for s in PaymentStatus::ALL {
                assert_eq!(PaymentStatus::parse(s.code()), Some(*s));
            }
            assert_eq!(PaymentMethod::parse("cash"), None);
        }
    }

    both! {
        fn who_buys_on_credit_and_how_they_may_pay() {
            assert!(buys_on_credit(OrgKind::Client, PriceType::Wholesale));
            assert!(buys_on_credit(OrgKind::Dealer, PriceType::Dealer));
            assert!(!buys_on_credit(OrgKind::Client, PriceType::Retail));
            assert!(!buys_on_credit(OrgKind::Person, PriceType::Retail));
            assert_eq!(payment_methods(true, Fulfilment::Delivery, true), [PaymentMethod::Invoice]);
            assert_eq!(payment_methods(false, Fulfilment::Pickup, true), [PaymentMethod::Online, PaymentMethod::OnPickup]);
            assert_eq!(payment_methods(false, Fulfilment::Delivery, true), [PaymentMethod::Online]);
            assert_eq!(fulfilments(true, true), [Fulfilment::Delivery]);
            assert_eq!(fulfilments(false, true), [Fulfilment::Pickup, Fulfilment::Delivery]);
            // No payment provider: online payment is not offered, nor delivery that needs it.
            assert_eq!(payment_methods(false, Fulfilment::Pickup, false), [PaymentMethod::OnPickup]);
            assert_eq!(fulfilments(false, false), [Fulfilment::Pickup]);
            assert_eq!(fulfilments(true, false), [Fulfilment::Delivery]);
        }
    }

    both! {
        fn only_open_unpaid_online_orders_can_be_paid_online() {
            use PaymentStatus::*;
            for payment in [Unpaid, Pending, Declined] {
                assert!(payable_online(PaymentMethod::Online, payment, OrderStatus::New));
            }
            assert!(!payable_online(PaymentMethod::Online, Paid, OrderStatus::New));
            assert!(!payable_online(PaymentMethod::OnPickup, Unpaid, OrderStatus::New));
            assert!(!payable_online(PaymentMethod::Online, Unpaid, OrderStatus::Cancelled));
            assert!(!payable_online(PaymentMethod::Online, Unpaid, OrderStatus::Completed));
        }
    }

    both! {
        fn warehouses_are_emptied_before_pickup_points() {
            use LocationKind::*;
            let stock = [at(1, 5, 3, Pickup), at(1, 2, 2, Warehouse), at(1, 1, 1, Warehouse), at(2, 5, 9, Pickup)];
            let plan = plan_reservation(&[(1, 4), (2, 2)], &stock).unwrap();
            assert_eq!(plan.takes, [(1, 1, 1), (1, 2, 2), (1, 5, 1), (2, 5, 2)]);
            assert_eq!(plan.per_product, [(1, 4), (2, 2)]);
        }
    }

    both! {
        fn a_product_on_two_lines_draws_on_the_same_stock() {
            let stock = [at(7, 1, 5, LocationKind::Warehouse)];
            assert_eq!(plan_reservation(&[(7, 3), (7, 2)], &stock).unwrap().takes, [(7, 1, 5)]);
            assert_eq!(plan_reservation(&[(7, 3), (7, 3)], &stock), Err(vec![7]));
        }
    }

    both! {
        fn every_line_short_of_stock_is_named() {
            let stock = [at(1, 1, 1, LocationKind::Warehouse), at(3, 1, 10, LocationKind::Pickup)];
            assert_eq!(plan_reservation(&[(1, 2), (2, 1), (3, 10)], &stock), Err(vec![1, 2]));
        }
    }

    both! {
        fn a_point_serves_the_lines_it_has_in_full() {
            let lines = [(1, 2000), (2, 1000), (3, 500)];
            assert_eq!(lines_available(&lines, &[(1, 2000), (2, 999), (3, 10_000)]), 2);
            assert_eq!(lines_available(&lines, &[]), 0);
            assert_eq!(lines_short(&lines, &[(1, 2000), (2, 999), (3, 10_000)]), [1]);
        }
    }
}
