//! Prices and discounts (цены и скидки) of an order, computed once for the browser and the server.
//!
//! Stacking policy (документированная политика суммирования скидок):
//! 1. a manual discount a staff member puts on a line comes off that line first;
//! 2. the client's base rate is the **better** of the personal discount (персональная скидка) and
//!    the loyalty tier earned by accumulated purchases (накопительная скидка) — they do not add up;
//! 3. promotions whose condition holds (e.g. −5 % for orders placed online, −2 % for paying online)
//!    **add** to the base rate, and so does a manual order-level discount;
//! 4. the order-level rate is applied to the lines after step 1, and the whole discount of the
//!    order (steps 1–3) never exceeds the policy's cap of the undiscounted total;
//! 5. discounts are taken **per unit in whole kopecks**: a unit's price is its list price less the
//!    line's manual discount, then less the order-level rate, each rounded half up to the kopeck;
//!    a line's sum is unit price × quantity (half up to the kopeck for fractional quantities), so
//!    the catalog's price of one unit is the cart's unit price;
//! 6. when the cap cuts the discount (or per-unit rounding would take it past the cap), the capped
//!    amount is spread over lines by largest remainder and each line's share becomes a per-unit
//!    discount rounded **down**, which never exceeds the cap.
//!
//! So on every cart, order, invoice and receipt `price × quantity = sum` for every line, the
//! order's total is the sum of its line sums and its discount is what remains of the undiscounted
//! total; VAT is extracted from each line sum and the order's VAT is their sum. Documents print
//! lines through [`document`] ([`lines`]), never by dividing a sum by a quantity.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

mod lines;

pub use lines::{Document, DocumentLine, LineAmount, document, line_sum, price_for_sum};

use crate::allocation::{VatRate, allocate};
use crate::money::{Percent, Quantity};
use crate::{ErrorCode, Role};

/// Which price list a client buys from (тип цены).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceType {
    Retail,
    Wholesale,
    Dealer,
    /// Закупочная: what the seller pays; never shown to clients.
    Purchase,
}

/// A product's prices per price type, kopecks, VAT included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPrices {
    pub retail: i64,
    pub wholesale: i64,
    pub dealer: i64,
    pub purchase: i64,
}

impl ProductPrices {
    /// The price a client with this price type pays before discounts.
    pub fn for_type(&self, price_type: PriceType) -> i64 {
        match price_type {
            PriceType::Retail => self.retail,
            PriceType::Wholesale => self.wholesale,
            PriceType::Dealer => self.dealer,
            PriceType::Purchase => self.purchase,
        }
    }
}

/// A loyalty tier: from `threshold` kopecks of accumulated purchases, `discount` off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoyaltyTier {
    pub name: String,
    pub threshold: i64,
    pub discount: Percent,
}

/// The tier table, configurable by the seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LoyaltyTiers(Vec<LoyaltyTier>);

impl LoyaltyTiers {
    pub fn new(mut tiers: Vec<LoyaltyTier>) -> Self {
        tiers.sort_by_key(|t| t.threshold);
        Self(tiers)
    }

    /// The tier reached with these accumulated purchases.
    pub fn tier(&self, accumulated: i64) -> Option<&LoyaltyTier> {
        self.0.iter().rev().find(|t| accumulated >= t.threshold)
    }

    /// The next tier and how many kopecks of purchases are still needed to reach it.
    pub fn next(&self, accumulated: i64) -> Option<(&LoyaltyTier, i64)> {
        self.0.iter().find(|t| t.threshold > accumulated).map(|t| (t, t.threshold - accumulated))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionCondition {
    Always,
    PlacedOnline,
    PaidOnline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub code: String,
    pub discount: Percent,
    pub condition: PromotionCondition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountPolicy {
    pub loyalty: LoyaltyTiers,
    pub promotions: Vec<Promotion>,
    /// The most an order may be discounted in all, as a share of its undiscounted total.
    pub cap: Percent,
}

/// Who buys and how: everything besides the lines that affects the price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    pub personal_discount: Percent,
    /// Accumulated purchases in kopecks (накопленные покупки).
    pub accumulated: i64,
    pub placed_online: bool,
    pub paid_online: bool,
    /// A discount a staff member applies to the whole order.
    pub manual_order_discount: Percent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    /// Unit price for the buyer's price type, kopecks, VAT included.
    pub unit_price: i64,
    pub quantity: Quantity,
    pub vat: VatRate,
    pub manual_discount: Percent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    /// List price × quantity, before discounts.
    pub gross: i64,
    pub discount: i64,
    /// Unit price after discounts, whole kopecks.
    pub price: i64,
    pub quantity: Quantity,
    /// `price × quantity`: the line sum.
    pub total: i64,
    pub vat_rate: VatRate,
    pub vat: i64,
}

impl PricedLine {
    /// What the line's document position is made from.
    pub fn amount(&self) -> LineAmount {
        LineAmount { quantity: self.quantity, sum: self.total, vat: self.vat_rate }
    }
}

/// Where a discount came from, for the receipt and for approvals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiscountSource {
    Personal(Percent),
    Loyalty {
        tier: String,
        discount: Percent,
    },
    Promotion {
        code: String,
        discount: Percent,
    },
    ManualOrder(Percent),
    ManualLines,
    /// The cap cut the discounts down.
    Capped(Percent),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedOrder {
    pub lines: Vec<PricedLine>,
    pub gross: i64,
    pub discount: i64,
    pub total: i64,
    pub vat: i64,
    pub sources: Vec<DiscountSource>,
}

impl PricedOrder {
    /// The order's document positions (one per line).
    pub fn document(&self) -> Document {
        document(self.lines.iter().map(PricedLine::amount))
    }

    /// The whole discount as a percentage of the undiscounted total (two decimals).
    pub fn discount_percent(&self) -> Decimal {
        if self.gross == 0 {
            return Decimal::ZERO;
        }
        (Decimal::from(self.discount) * Decimal::ONE_HUNDRED / Decimal::from(self.gross)).round_dp(2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PricingError {
    #[error("a price cannot be negative")]
    NegativePrice,
    #[error("the order is too large to price")]
    Overflow,
}

impl ErrorCode for PricingError {
    fn code(&self) -> &'static str {
        match self {
            Self::NegativePrice => "pricing.negative_price",
            Self::Overflow => "pricing.overflow",
        }
    }
}

/// `amount × rate`, rounded half away from zero to the kopeck.
fn percent_of(amount: i64, rate: Percent) -> i64 {
    // Percent has at most 28 significant digits; work in i128 hundredths of a percent.
    let basis = (rate.value() * Decimal::from(100)).round();
    let basis = i128::try_from(basis).unwrap_or(10_000);
    let n = i128::from(amount) * basis;
    let (q, r) = (n / 10_000, n % 10_000);
    (if 2 * r.abs() >= 10_000 { q + n.signum() } else { q }) as i64
}

fn gross(line: &LineInput) -> Result<i64, PricingError> {
    if line.unit_price < 0 {
        return Err(PricingError::NegativePrice);
    }
    line_sum(line.unit_price, line.quantity)
}

/// A line at this unit price (within 0 and the list price): its sum is `price × quantity`, and
/// below one unit, where several prices give the same sum, the lowest is the one printed.
fn at_price(line: &LineInput, gross: i64, price: i64) -> Result<PricedLine, PricingError> {
    let price = price.clamp(0, line.unit_price);
    let total = line_sum(price, line.quantity)?;
    let price = price_for_sum(total, line.quantity).unwrap_or(price);
    Ok(PricedLine {
        gross,
        discount: gross - total,
        price,
        quantity: line.quantity,
        total,
        vat_rate: line.vat,
        vat: line.vat.extract(total),
    })
}

pub fn price_order(lines: &[LineInput], buyer: &Buyer, policy: &DiscountPolicy) -> Result<PricedOrder, PricingError> {
    let grosses = lines.iter().map(gross).collect::<Result<Vec<_>, _>>()?;
    let gross_total: i64 = grosses.iter().try_fold(0_i64, |a, g| a.checked_add(*g)).ok_or(PricingError::Overflow)?;
    let mut sources = Vec::new();

    // 1. Manual line discounts.
    let line_manual: Vec<i64> = lines.iter().zip(&grosses).map(|(l, g)| percent_of(*g, l.manual_discount)).collect();
    if line_manual.iter().any(|d| *d > 0) {
        sources.push(DiscountSource::ManualLines);
    }
    let after_manual: Vec<i64> = grosses.iter().zip(&line_manual).map(|(g, d)| g - d).collect();

    // 2. The better of personal and loyalty; 3. promotions and a manual order discount add.
    let tier = policy.loyalty.tier(buyer.accumulated);
    let mut rate = Decimal::ZERO;
    match tier {
        Some(t) if t.discount > buyer.personal_discount => {
            rate += t.discount.value();
            sources.push(DiscountSource::Loyalty { tier: t.name.clone(), discount: t.discount });
        }
        _ if buyer.personal_discount > Percent::ZERO => {
            rate += buyer.personal_discount.value();
            sources.push(DiscountSource::Personal(buyer.personal_discount));
        }
        _ => {}
    }
    for p in &policy.promotions {
        let applies = match p.condition {
            PromotionCondition::Always => true,
            PromotionCondition::PlacedOnline => buyer.placed_online,
            PromotionCondition::PaidOnline => buyer.paid_online,
        };
        if applies && p.discount > Percent::ZERO {
            rate += p.discount.value();
            sources.push(DiscountSource::Promotion { code: p.code.clone(), discount: p.discount });
        }
    }
    if buyer.manual_order_discount > Percent::ZERO {
        rate += buyer.manual_order_discount.value();
        sources.push(DiscountSource::ManualOrder(buyer.manual_order_discount));
    }
    let rate = Percent::new(rate.min(Decimal::ONE_HUNDRED)).unwrap_or(Percent::HUNDRED);
    let base: i64 = after_manual.iter().sum();
    let mut order_discount = percent_of(base, rate);

    // 4. The cap on the whole discount.
    let manual_total: i64 = line_manual.iter().sum();
    let cap = percent_of(gross_total, policy.cap);
    let capped = manual_total + order_discount > cap;
    if capped {
        order_discount = (cap - manual_total).max(0);
        sources.push(DiscountSource::Capped(policy.cap));
    }

    // Whole kopecks per unit: each unit less its manual discount, then less the order rate.
    let by_rate = || -> Result<Vec<PricedLine>, PricingError> {
        let each = |l: &LineInput| {
            let after_manual = l.unit_price - percent_of(l.unit_price, l.manual_discount);
            after_manual - percent_of(after_manual, rate)
        };
        lines.iter().zip(&grosses).map(|(l, g)| at_price(l, *g, each(l))).collect()
    };
    // Capped: the capped amount spread by largest remainder (5.), per unit rounded down.
    let within_cap = || -> Result<Vec<PricedLine>, PricingError> {
        let shares = allocate(order_discount, &after_manual).unwrap_or_else(|_| vec![0; lines.len()]);
        let each = |l: &LineInput, discount: i64| {
            let per_unit = i128::from(discount) * 1000 / i128::from(l.quantity.thousandths());
            l.unit_price - i64::try_from(per_unit).unwrap_or(i64::MAX)
        };
        let wanted = line_manual.iter().zip(&shares).map(|(m, s)| m + s);
        lines.iter().zip(&grosses).zip(wanted).map(|((l, g), d)| at_price(l, *g, each(l, d))).collect()
    };
    let mut priced = if capped { within_cap()? } else { by_rate()? };
    if priced.iter().map(|l| l.discount).sum::<i64>() > cap.max(manual_total) {
        // Rounding per unit went past the cap.
        priced = within_cap()?;
    }
    let total: i64 = priced.iter().map(|l| l.total).sum();
    let vat: i64 = priced.iter().map(|l| l.vat).sum();
    Ok(PricedOrder { lines: priced, gross: gross_total, discount: gross_total - total, total, vat, sources })
}

/// What one unit costs a viewer of the catalog: the list price of their price type and the price
/// after the discounts that do not depend on the order (personal or loyalty rate, promotions whose
/// condition holds for `buyer`). The cart prices the real order with [`price_order`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfPrice {
    pub list: i64,
    pub price: i64,
}

pub fn shelf_price(
    prices: &ProductPrices,
    price_type: PriceType,
    buyer: &Buyer,
    policy: &DiscountPolicy,
) -> ShelfPrice {
    let list = prices.for_type(price_type);
    let line =
        LineInput { unit_price: list, quantity: Quantity::ONE, vat: VatRate::Exempt, manual_discount: Percent::ZERO };
    let price = price_order(std::slice::from_ref(&line), buyer, policy).map(|o| o.total).unwrap_or(list);
    ShelfPrice { list, price }
}

/// One approval rule: above this discount or this total, the approver must agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRule {
    pub above_discount: Option<Percent>,
    pub above_total: Option<i64>,
    pub approver: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Approval {
    NotNeeded,
    /// «Требуется согласование руководителя»: who must approve and why.
    Needed {
        approver: Role,
        discount_percent: Decimal,
        total: i64,
    },
}

/// Checks an order a sales manager prepared against the approval rules (first matching wins).
pub fn approval(order: &PricedOrder, rules: &[ApprovalRule]) -> Approval {
    let percent = order.discount_percent();
    for rule in rules {
        let by_discount = rule.above_discount.is_some_and(|p| percent > p.value());
        let by_total = rule.above_total.is_some_and(|t| order.total > t);
        if by_discount || by_total {
            return Approval::Needed { approver: rule.approver, discount_percent: percent, total: order.total };
        }
    }
    Approval::NotNeeded
}

#[cfg(test)]
mod tests;
