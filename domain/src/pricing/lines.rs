//! Document lines (строки документа): the positions a cart, an order, an invoice and later a
//! receipt, a transfer document (УПД) and the 1C export print — unit price, quantity, sum and VAT —
//! all made by [`document`], so no document divides a total by a quantity on its own.
//!
//! For every position `price × quantity = sum`, rounded half up to the kopeck when the quantity
//! is fractional (the 54-FZ rule for a receipt position); the document's total is the sum of its
//! positions and its VAT the sum of the positions' VAT.

use serde::{Deserialize, Serialize};

use super::PricingError;
use crate::allocation::VatRate;
use crate::money::Quantity;

const UNIT: i128 = 1000;

/// `price × thousandths / 1000`, rounded half away from zero.
fn times(price: i64, thousandths: i64) -> i128 {
    let n = i128::from(price) * i128::from(thousandths);
    let (q, r) = (n / UNIT, n % UNIT);
    if 2 * r.abs() >= UNIT { q + n.signum() } else { q }
}

/// The sum of a position: `price × quantity` to the kopeck.
pub fn line_sum(price: i64, quantity: Quantity) -> Result<i64, PricingError> {
    i64::try_from(times(price, quantity.thousandths())).map_err(|_| PricingError::Overflow)
}

/// The lowest non-negative unit price whose [`line_sum`] at `quantity` is `sum`, if one exists. For
/// a quantity of at least one unit the price is unique; below one unit several prices give the
/// same sum, and the lowest is the one every document prints.
pub fn price_for_sum(sum: i64, quantity: Quantity) -> Option<i64> {
    if sum < 0 {
        return None;
    }
    let q = i128::from(quantity.thousandths());
    // round(u·q/1000) = sum  ⇔  u ≥ (2·sum − 1)·1000 / (2q): the smallest such u.
    let numerator = (2 * i128::from(sum) - 1) * UNIT;
    let lowest = (numerator + 2 * q - 1).div_euclid(2 * q).max(0);
    let price = i64::try_from(lowest).ok()?;
    (times(price, quantity.thousandths()) == i128::from(sum)).then_some(price)
}

/// A line as sold: what a document line is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmount {
    pub quantity: Quantity,
    /// What the line costs after every discount, kopecks, VAT included.
    pub sum: i64,
    pub vat: VatRate,
}

/// One printed position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    /// The index of the line it prints (a line stored before this rule may print as two positions).
    pub line: usize,
    /// Unit price after discounts, kopecks, VAT included.
    pub price: i64,
    pub quantity: Quantity,
    /// `price × quantity`.
    pub sum: i64,
    pub vat_rate: VatRate,
    pub vat: i64,
}

/// The positions of a document with their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub lines: Vec<DocumentLine>,
    pub total: i64,
    pub vat: i64,
}

impl Document {
    /// The positions that print line `index`.
    pub fn positions(&self, index: usize) -> impl Iterator<Item = &DocumentLine> {
        self.lines.iter().filter(move |p| p.line == index)
    }
}

/// The positions of a document from its lines. A line priced by [`super::price_order`] prints as
/// one position. A line whose sum has no unit price (stored before this rule, when discounts were
/// spread over line sums) prints as two positions that keep its quantity and sum: `n − k` units
/// at `a` and `k` units at `a + 1` kopeck for whole units, or one unit apart for fractional ones.
pub fn document(lines: impl IntoIterator<Item = LineAmount>) -> Document {
    let mut positions = Vec::new();
    for (index, line) in lines.into_iter().enumerate() {
        let mut push = |price: i64, thousandths: i64, sum: i64| {
            let quantity = Quantity::from_thousandths(thousandths, line.quantity.unit()).unwrap_or(line.quantity);
            positions.push(DocumentLine {
                line: index,
                price,
                quantity,
                sum,
                vat_rate: line.vat,
                vat: line.vat.extract(sum),
            });
        };
        let q = line.quantity.thousandths();
        if let Some(price) = price_for_sum(line.sum, line.quantity) {
            push(price, q, line.sum);
        } else if q % 1000 == 0 {
            let units = q / 1000;
            let (price, dearer) = (line.sum.div_euclid(units), line.sum.rem_euclid(units));
            push(price, (units - dearer) * 1000, price * (units - dearer));
            push(price + 1, dearer * 1000, (price + 1) * dearer);
        } else {
            // Whole units below one always have a price, so here q > 1000.
            let price = i64::try_from(i128::from(line.sum) * UNIT / i128::from(q)).unwrap_or(0);
            let first = i64::try_from(times(price, q - 1000)).unwrap_or(line.sum);
            push(price, q - 1000, first);
            push(line.sum - first, 1000, line.sum - first);
        }
    }
    let total = positions.iter().map(|p| p.sum).sum();
    let vat = positions.iter().map(|p| p.vat).sum();
    Document { lines: positions, total, vat }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Unit;
    use crate::test_support::both;

    fn qty(text: &str, unit: Unit) -> Quantity {
        Quantity::parse(text, unit).unwrap()
    }

    both! {
        fn sums_round_half_up_to_the_kopeck() {
            assert_eq!(line_sum(1_755_101, qty("2", Unit::Pcs)), Ok(3_510_202));
            assert_eq!(line_sum(45_990, qty("12,5", Unit::M)), Ok(574_875));
            // 0.333 m × 10.01 ₽ = 3.33333 ₽; 0.5 m × 0.01 ₽ = 0.005 ₽ → 0.01 ₽.
            assert_eq!(line_sum(1_001, qty("0,333", Unit::M)), Ok(333));
            assert_eq!(line_sum(1, qty("0,5", Unit::M)), Ok(1));
        }
    }

    both! {
        fn the_price_of_a_sum() {
            assert_eq!(price_for_sum(3_510_202, qty("2", Unit::Pcs)), Some(1_755_101));
            assert_eq!(price_for_sum(3_510_203, qty("2", Unit::Pcs)), None);
            assert_eq!(price_for_sum(574_875, qty("12,5", Unit::M)), Some(45_990));
            // Below one unit every sum has a price; the lowest is printed.
            assert_eq!(price_for_sum(1, qty("0,5", Unit::M)), Some(1));
            assert_eq!(price_for_sum(2, qty("0,5", Unit::M)), Some(3));
            assert_eq!(price_for_sum(0, qty("3", Unit::Pcs)), Some(0));
            assert_eq!(price_for_sum(-1, qty("1", Unit::Pcs)), None);
        }
    }

    both! {
        fn an_old_line_prints_as_two_positions_that_keep_its_sum() {
            // The invoice the accountant rejected: 2 pcs for 35 102,03.
            let old = LineAmount { quantity: qty("2", Unit::Pcs), sum: 3_510_203, vat: VatRate::Percent(20) };
            let doc = document([old]);
            let printed: Vec<(i64, i64, i64)> = doc.lines.iter().map(|p| (p.price, p.quantity.thousandths(), p.sum)).collect();
            assert_eq!(printed, vec![(1_755_101, 1000, 1_755_101), (1_755_102, 1000, 1_755_102)]);
            assert_eq!(doc.total, 3_510_203);
            let fractional = LineAmount { quantity: qty("2,5", Unit::M), sum: 1_001, vat: VatRate::Exempt };
            let doc = document([fractional]);
            assert_eq!(doc.total, 1_001);
            for p in &doc.lines {
                assert_eq!(line_sum(p.price, p.quantity), Ok(p.sum));
            }
        }
    }
}
