//! Ordering area: assembly (сборка) and shipment (отгрузка) line by line. The warehouse records
//! how much of each line is picked; picked goods leave in one or more shipments (partial shipments
//! are normal for wholesale: what is in stock goes now, the rest later). The buyer follows the
//! shares. The browser checks a form with these functions as it is typed; the server checks again.
//!
//! Quantities are thousandths of the line's unit, as stored. Rules per line:
//! `0 ≤ shipped ≤ picked ≤ quantity`, whole units for goods sold whole.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::money::{Quantity, QuantityError, Unit};
use crate::ordering::Fulfilment;
use crate::status::OrderStatus;

/// One line of an order as far as assembly and shipment go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProgress {
    pub unit: Unit,
    pub quantity: i64,
    pub picked: i64,
    pub shipped: i64,
    /// The line's sum after discounts, kopecks: shares are shares of the order's value.
    pub total: i64,
}

/// What is wrong with one line of an assembly or shipment form (`line`: its index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineIssue {
    pub line: usize,
    pub code: &'static str,
}

/// Why a whole assembly or shipment is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssemblyError {
    /// Not at this stage of the order (or not for how it is received).
    NotNow,
    /// The form does not match the order's lines (someone changed the order meanwhile).
    Lines,
    /// A shipment of nothing.
    Empty,
    /// Per-line problems, each shown next to its field.
    Issues(Vec<LineIssue>),
}

impl ErrorCode for AssemblyError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotNow => "assembly.not_now",
            Self::Lines => "assembly.lines_changed",
            Self::Empty => "shipment.empty",
            Self::Issues(_) => "assembly.invalid",
        }
    }
}

/// Whether picked quantities may be recorded: while the order awaits assembly.
pub fn can_pick(status: OrderStatus) -> bool {
    status == OrderStatus::AwaitingAssembly
}

/// Whether a shipment may be recorded: orders delivered to an address, from the moment assembly
/// starts until everything has left (pickup orders are handed over at the point instead).
pub fn can_ship(status: OrderStatus, fulfilment: Fulfilment) -> bool {
    fulfilment == Fulfilment::Delivery && matches!(status, OrderStatus::AwaitingAssembly | OrderStatus::Assembled)
}

/// Parses what a person typed for one line: empty means zero; otherwise a quantity of the unit.
pub fn parse_amount(input: &str, unit: Unit) -> Result<i64, &'static str> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(0);
    }
    match Quantity::parse(trimmed, unit) {
        Ok(q) => Ok(q.thousandths()),
        // "0" is a valid amount here (nothing picked yet, nothing of this line in the shipment).
        Err(QuantityError::NotPositive) if trimmed.trim_start_matches(['0', '.', ',']).is_empty() => Ok(0),
        Err(QuantityError::NotPositive) => Err("quantity.negative"),
        Err(e) => Err(e.code()),
    }
}

/// The lines after a picking form: `picked[i]` is how much of line `i` is now picked in all.
/// Picking may be corrected down, but never below what has already left.
pub fn apply_picks(lines: &[LineProgress], picked: &[i64]) -> Result<Vec<LineProgress>, AssemblyError> {
    if picked.len() != lines.len() {
        return Err(AssemblyError::Lines);
    }
    let mut issues = Vec::new();
    let mut after = lines.to_vec();
    for (i, (line, &p)) in lines.iter().zip(picked).enumerate() {
        let code = if p < 0 {
            Some("quantity.negative")
        } else if p > line.quantity {
            Some("assembly.over_ordered")
        } else if p < line.shipped {
            Some("assembly.below_shipped")
        } else if !line.unit.fractional() && p % 1000 != 0 {
            Some("quantity.fraction_not_allowed")
        } else {
            None
        };
        match code {
            Some(code) => issues.push(LineIssue { line: i, code }),
            None => after[i].picked = p,
        }
    }
    if issues.is_empty() { Ok(after) } else { Err(AssemblyError::Issues(issues)) }
}

/// The lines after a shipment of `amounts[i]` of each line: only what is picked and not yet gone
/// can leave, and a shipment carries something.
pub fn apply_shipment(lines: &[LineProgress], amounts: &[i64]) -> Result<Vec<LineProgress>, AssemblyError> {
    if amounts.len() != lines.len() {
        return Err(AssemblyError::Lines);
    }
    let mut issues = Vec::new();
    let mut after = lines.to_vec();
    for (i, (line, &a)) in lines.iter().zip(amounts).enumerate() {
        let code = if a < 0 {
            Some("quantity.negative")
        } else if a > line.picked - line.shipped {
            Some(if a > line.quantity - line.shipped { "shipment.over_ordered" } else { "shipment.not_picked" })
        } else if !line.unit.fractional() && a % 1000 != 0 {
            Some("quantity.fraction_not_allowed")
        } else {
            None
        };
        match code {
            Some(code) => issues.push(LineIssue { line: i, code }),
            None => after[i].shipped += a,
        }
    }
    if !issues.is_empty() {
        return Err(AssemblyError::Issues(issues));
    }
    if amounts.iter().all(|a| *a == 0) {
        return Err(AssemblyError::Empty);
    }
    Ok(after)
}

/// A picking form (`shipment: false`: how much of each line is picked in all) or a shipment form
/// (how much of each line leaves now) as typed, checked whole: every line's problem — a typing
/// error or a rule — named by its line. Answers the lines as they become.
pub fn apply_typed<S: AsRef<str>>(
    lines: &[LineProgress],
    typed: &[S],
    shipment: bool,
) -> Result<Vec<LineProgress>, AssemblyError> {
    if typed.len() != lines.len() {
        return Err(AssemblyError::Lines);
    }
    let mut issues = Vec::new();
    let mut amounts = Vec::with_capacity(lines.len());
    for (i, (line, text)) in lines.iter().zip(typed).enumerate() {
        match parse_amount(text.as_ref(), line.unit) {
            Ok(a) => amounts.push(a),
            Err(code) => {
                issues.push(LineIssue { line: i, code });
                // A line that cannot be read stays as it is while the others are checked.
                amounts.push(if shipment { 0 } else { line.picked });
            }
        }
    }
    let applied = if shipment { apply_shipment(lines, &amounts) } else { apply_picks(lines, &amounts) };
    match applied {
        Ok(after) if issues.is_empty() => Ok(after),
        Err(AssemblyError::Issues(more)) => {
            issues.extend(more);
            issues.sort_by_key(|i| i.line);
            Err(AssemblyError::Issues(issues))
        }
        Err(other) if issues.is_empty() => Err(other),
        _ => Err(AssemblyError::Issues(issues)),
    }
}

/// What is left to ship of each line (the last shipment when the order is marked shipped).
pub fn remainder(lines: &[LineProgress]) -> Vec<i64> {
    lines.iter().map(|l| l.quantity - l.shipped).collect()
}

/// Everything of every line is picked.
pub fn all_picked(lines: &[LineProgress]) -> bool {
    lines.iter().all(|l| l.picked >= l.quantity)
}

/// Everything of every line has left.
pub fn all_shipped(lines: &[LineProgress]) -> bool {
    lines.iter().all(|l| l.shipped >= l.quantity)
}

/// Where an order's assembly and shipment stand, as the buyer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shares {
    /// Percent of the order's value picked, rounded down (100 only when all is picked).
    pub picked: u8,
    /// Percent of the order's value shipped, rounded down (100 only when all has left).
    pub shipped: u8,
    /// Lines shipped in full, of `lines`.
    pub lines_shipped: usize,
    pub lines: usize,
}

/// The shares of an order's value picked and shipped. A line's value counts in proportion to its
/// quantity; lines that cost nothing count by quantity alone (as if each cost the same).
pub fn shares(lines: &[LineProgress]) -> Shares {
    let share = |done: fn(&LineProgress) -> i64| -> u8 {
        let by_value = lines.iter().any(|l| l.total > 0);
        let (mut part, mut whole) = (0i128, 0i128);
        for l in lines.iter().filter(|l| l.quantity > 0) {
            let weight = if by_value { l.total as i128 } else { 1 };
            whole += weight;
            part += weight * done(l).clamp(0, l.quantity) as i128 * 1_000_000 / l.quantity as i128;
        }
        if lines.iter().all(|l| done(l) >= l.quantity) {
            return 100;
        }
        if whole == 0 {
            return 0;
        }
        ((part * 100 / (whole * 1_000_000)) as u8).min(99)
    };
    Shares {
        picked: share(|l| l.picked),
        shipped: share(|l| l.shipped),
        lines_shipped: lines.iter().filter(|l| l.shipped >= l.quantity).count(),
        lines: lines.len(),
    }
}

/// What a status move does to the lines: moving to "assembled" or "ready for pickup" means all is
/// picked; "shipped" ships what is left in a last shipment; "completed" means all was handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveFill {
    Nothing,
    PickAll,
    ShipRest,
}

pub fn move_fill(to: OrderStatus) -> MoveFill {
    match to {
        OrderStatus::Assembled | OrderStatus::ReadyForPickup => MoveFill::PickAll,
        OrderStatus::Shipped | OrderStatus::Completed => MoveFill::ShipRest,
        _ => MoveFill::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    fn line(unit: Unit, quantity: i64, picked: i64, shipped: i64, total: i64) -> LineProgress {
        LineProgress { unit, quantity, picked, shipped, total }
    }

    both! {
        fn picking_stays_between_shipped_and_ordered() {
            let lines = [line(Unit::Pcs, 5000, 2000, 1000, 50_000), line(Unit::M, 12_500, 0, 0, 12_500)];
            let after = apply_picks(&lines, &[5000, 3250]).unwrap();
            assert_eq!((after[0].picked, after[1].picked), (5000, 3250));
            assert!(!all_picked(&after));
            assert!(all_picked(&apply_picks(&lines, &[5000, 12_500]).unwrap()));
            // Over the ordered quantity, below what has left, a fraction of a pump: each next to its line.
            assert_eq!(
                apply_picks(&lines, &[6000, 12_501]),
                Err(AssemblyError::Issues(vec![LineIssue { line: 0, code: "assembly.over_ordered" }, LineIssue { line: 1, code: "assembly.over_ordered" }]))
            );
            assert_eq!(
                apply_picks(&lines, &[500, -1]),
                Err(AssemblyError::Issues(vec![LineIssue { line: 0, code: "assembly.below_shipped" }, LineIssue { line: 1, code: "quantity.negative" }]))
            );
            assert_eq!(
                apply_picks(&lines, &[2500, 0]),
                Err(AssemblyError::Issues(vec![LineIssue { line: 0, code: "quantity.fraction_not_allowed" }]))
            );
            assert_eq!(apply_picks(&lines, &[1000]), Err(AssemblyError::Lines));
        }
    }

    both! {
        fn shipments_take_only_picked_goods() {
            let lines = [line(Unit::Pcs, 5000, 3000, 1000, 50_000), line(Unit::M, 12_500, 12_500, 0, 12_500)];
            let after = apply_shipment(&lines, &[2000, 0]).unwrap();
            assert_eq!((after[0].shipped, after[1].shipped), (3000, 0));
            assert_eq!(
                apply_shipment(&lines, &[3000, 0]),
                Err(AssemblyError::Issues(vec![LineIssue { line: 0, code: "shipment.not_picked" }]))
            );
            assert_eq!(
                apply_shipment(&lines, &[5000, 13_000]),
                Err(AssemblyError::Issues(vec![LineIssue { line: 0, code: "shipment.over_ordered" }, LineIssue { line: 1, code: "shipment.over_ordered" }]))
            );
            assert_eq!(apply_shipment(&lines, &[0, 0]), Err(AssemblyError::Empty));
            assert_eq!(AssemblyError::Empty.code(), "shipment.empty");
            let done = apply_shipment(&after, &[0, 12_500]).unwrap();
            assert!(!all_shipped(&done));
            assert_eq!(remainder(&done), vec![2000, 0]);
        }
    }

    both! {
        fn shares_are_of_the_orders_value() {
            // 3 of 5 pumps (50 000 ₽) and none of the pipe (12 500 ₽): 60 % of 80 % of the value.
            let lines = [line(Unit::Pcs, 5000, 5000, 3000, 5_000_000), line(Unit::M, 12_500, 0, 0, 1_250_000)];
            assert_eq!(shares(&lines), Shares { picked: 80, shipped: 48, lines_shipped: 0, lines: 2 });
            // Rounded down, and 100 only when everything has left.
            let almost = [line(Unit::Pcs, 1000, 1000, 1000, 999_999), line(Unit::Pcs, 1000, 1000, 0, 1)];
            assert_eq!(shares(&almost).shipped, 99);
            assert_eq!(shares(&almost).picked, 100);
            let free = [line(Unit::Pcs, 2000, 1000, 1000, 0), line(Unit::Pcs, 2000, 2000, 2000, 0)];
            assert_eq!(shares(&free), Shares { picked: 75, shipped: 75, lines_shipped: 1, lines: 2 });
            assert_eq!(shares(&[]).shipped, 100);
        }
    }

    both! {
        fn typed_amounts_and_stages() {
            assert_eq!(parse_amount("", Unit::Pcs), Ok(0));
            assert_eq!(parse_amount(" 0 ", Unit::Pcs), Ok(0));
            assert_eq!(parse_amount("0,0", Unit::M), Ok(0));
            assert_eq!(parse_amount("2", Unit::Pcs), Ok(2000));
            assert_eq!(parse_amount("2,5", Unit::M), Ok(2500));
            assert_eq!(parse_amount("2,5", Unit::Pcs), Err("quantity.fraction_not_allowed"));
            assert_eq!(parse_amount("-1", Unit::Pcs), Err("quantity.negative"));
            assert_eq!(parse_amount("два", Unit::Pcs), Err("quantity.malformed"));
            assert!(can_pick(OrderStatus::AwaitingAssembly) && !can_pick(OrderStatus::Assembled));
            assert!(can_ship(OrderStatus::Assembled, Fulfilment::Delivery));
            assert!(can_ship(OrderStatus::AwaitingAssembly, Fulfilment::Delivery));
            assert!(!can_ship(OrderStatus::Assembled, Fulfilment::Pickup));
            assert!(!can_ship(OrderStatus::Confirmed, Fulfilment::Delivery));
            assert_eq!(move_fill(OrderStatus::Shipped), MoveFill::ShipRest);
            assert_eq!(move_fill(OrderStatus::ReadyForPickup), MoveFill::PickAll);
            assert_eq!(move_fill(OrderStatus::InWork), MoveFill::Nothing);
        }
    }

    both! {
        fn typed_forms_name_every_line() {
            let lines = [line(Unit::Pcs, 3000, 0, 0, 300), line(Unit::Pcs, 2000, 0, 0, 200)];
            // A typing error and a rule broken in the same form are both reported, by line.
            assert_eq!(
                apply_typed(&lines, &["4", "1,5"], false),
                Err(AssemblyError::Issues(vec![
                    LineIssue { line: 0, code: "assembly.over_ordered" },
                    LineIssue { line: 1, code: "quantity.fraction_not_allowed" },
                ]))
            );
            assert_eq!(apply_typed(&lines, &["2", ""], false).unwrap()[0].picked, 2000);
            assert_eq!(apply_typed(&lines, &["", " "], true), Err(AssemblyError::Empty));
            assert_eq!(
                apply_typed(&lines, &["x", ""], true),
                Err(AssemblyError::Issues(vec![LineIssue { line: 0, code: "quantity.malformed" }]))
            );
            assert_eq!(apply_typed(&lines, &["1"], true), Err(AssemblyError::Lines));
        }
    }
}
