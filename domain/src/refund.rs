//! Returns and refunds (возвраты): what is refunded for returned units, to which payment methods,
//! the effect on loyalty, and whether a return is allowed at all.
//!
//! Payment-method rule for mixed payments: a refund goes back to the original methods in
//! proportion to what each still holds (paid minus already refunded), split by largest remainder,
//! so no method ever gets back more than it paid and a full return empties every method exactly.
//! Bonus points come back as points and do not count as purchases for loyalty.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ErrorCode;
use crate::allocation::allocate;

/// One line of a completed sale, with what earlier returns took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoldLine {
    /// Units sold, thousandths.
    pub sold: i64,
    /// What was paid for the line after all discounts, kopecks.
    pub paid: i64,
    /// Units returned before, thousandths.
    pub returned: i64,
    /// Kopecks refunded for the line before.
    pub refunded: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RefundError {
    #[error("more units than were sold and not yet returned")]
    MoreThanSold,
    #[error("the quantity must be positive")]
    NotPositive,
}

impl ErrorCode for RefundError {
    fn code(&self) -> &'static str {
        match self {
            Self::MoreThanSold => "refund.more_than_sold",
            Self::NotPositive => "refund.not_positive",
        }
    }
}

impl SoldLine {
    pub fn returnable_units(&self) -> i64 {
        self.sold - self.returned
    }

    /// The refund for returning `units` more (thousandths): the cumulative share of what was paid
    /// minus what was already refunded. Returning everything, in any steps, refunds exactly `paid`.
    pub fn refund_for(&self, units: i64) -> Result<i64, RefundError> {
        if units <= 0 {
            return Err(RefundError::NotPositive);
        }
        if units > self.returnable_units() {
            return Err(RefundError::MoreThanSold);
        }
        let after = self.returned + units;
        let cumulative = (i128::from(self.paid) * i128::from(after) / i128::from(self.sold)) as i64;
        Ok((cumulative - self.refunded).max(0))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Card,
    Online,
    BankTransfer,
    /// Бонусные баллы.
    Bonus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub method: PaymentMethod,
    pub paid: i64,
    pub refunded: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundPart {
    pub method: PaymentMethod,
    pub amount: i64,
}

/// Where a refund of `amount` goes (see the module's rule). `MoreThanSold` if the methods hold less.
pub fn refund_methods(amount: i64, payments: &[Payment]) -> Result<Vec<RefundPart>, RefundError> {
    let holds: Vec<i64> = payments.iter().map(|p| (p.paid - p.refunded).max(0)).collect();
    if amount > holds.iter().sum() {
        return Err(RefundError::MoreThanSold);
    }
    let shares = allocate(amount, &holds).map_err(|_| RefundError::MoreThanSold)?;
    Ok(payments
        .iter()
        .zip(shares)
        .filter(|(_, a)| *a > 0)
        .map(|(p, amount)| RefundPart { method: p.method, amount })
        .collect())
}

/// How much the buyer's accumulated purchases go down: the refunded money, not the points.
pub fn loyalty_reduction(parts: &[RefundPart]) -> i64 {
    parts.iter().filter(|p| p.method != PaymentMethod::Bonus).map(|p| p.amount).sum()
}

/// Bonus points earned on the sale that a refund takes back: the cumulative share of the points
/// for the cumulative share of the money refunded, so a full refund takes back exactly all of them.
pub fn bonus_reversal(earned: i64, sale_paid: i64, refunded_before: i64, refund_now: i64) -> i64 {
    if sale_paid <= 0 {
        return 0;
    }
    let share =
        |refunded: i64| (i128::from(earned) * i128::from(refunded.min(sale_paid)) / i128::from(sale_paid)) as i64;
    share(refunded_before + refund_now) - share(refunded_before)
}

/// What the cashier may do with an item brought back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Eligibility {
    Return,
    /// A defect within the warranty: not a return but a warranty claim (рекламация).
    WarrantyClaim {
        warranty_until: NaiveDate,
    },
    Refused(RefusalReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefusalReason {
    /// The product is marked non-returnable (e.g. cut to length, technically complex goods).
    NonReturnable,
    /// The return window for goods of proper quality has ended.
    WindowEnded {
        ended: NaiveDate,
    },
    WarrantyExpired {
        ended: NaiveDate,
    },
}

impl RefusalReason {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NonReturnable => "return.non_returnable",
            Self::WindowEnded { .. } => "return.window_ended",
            Self::WarrantyExpired { .. } => "return.warranty_expired",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRules {
    /// Days to return goods of proper quality (14 by default).
    pub window_days: u32,
}

impl Default for ReturnRules {
    fn default() -> Self {
        Self { window_days: 14 }
    }
}

pub fn eligibility(
    rules: &ReturnRules,
    sold_on: NaiveDate,
    today: NaiveDate,
    returnable: bool,
    defective: bool,
    warranty_months: u32,
) -> Eligibility {
    if defective {
        let until = sold_on.checked_add_months(Months::new(warranty_months)).unwrap_or(NaiveDate::MAX);
        return if today <= until {
            Eligibility::WarrantyClaim { warranty_until: until }
        } else {
            Eligibility::Refused(RefusalReason::WarrantyExpired { ended: until })
        };
    }
    if !returnable {
        return Eligibility::Refused(RefusalReason::NonReturnable);
    }
    let ended = sold_on.checked_add_days(Days::new(u64::from(rules.window_days))).unwrap_or(NaiveDate::MAX);
    if today > ended { Eligibility::Refused(RefusalReason::WindowEnded { ended }) } else { Eligibility::Return }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    both! {
        fn three_units_for_100_rubles_return_one_by_one() {
            let mut line = SoldLine { sold: 3000, paid: 10_000, returned: 0, refunded: 0 };
            let mut refunds = Vec::new();
            for _ in 0..3 {
                let r = line.refund_for(1000).unwrap();
                refunds.push(r);
                line.returned += 1000;
                line.refunded += r;
            }
            assert_eq!(refunds, vec![3_333, 3_333, 3_334]);
            assert_eq!(line.refund_for(1), Err(RefundError::MoreThanSold));
            assert_eq!(SoldLine { sold: 1000, paid: 5, returned: 0, refunded: 0 }.refund_for(0), Err(RefundError::NotPositive));
        }
    }

    both! {
        fn mixed_payments_go_back_proportionally() {
            let pays = [
                Payment { method: PaymentMethod::Card, paid: 7_000, refunded: 0 },
                Payment { method: PaymentMethod::Bonus, paid: 3_000, refunded: 0 },
            ];
            let parts = refund_methods(5_000, &pays).unwrap();
            assert_eq!(parts, vec![RefundPart { method: PaymentMethod::Card, amount: 3_500 }, RefundPart { method: PaymentMethod::Bonus, amount: 1_500 }]);
            assert_eq!(loyalty_reduction(&parts), 3_500);
            assert_eq!(refund_methods(10_001, &pays), Err(RefundError::MoreThanSold));
        }
    }

    both! {
        fn earned_bonus_goes_back_with_the_money() {
            // 300 points earned on a 10 000-kopeck sale, refunded in three steps.
            let steps = [bonus_reversal(300, 10_000, 0, 3_333), bonus_reversal(300, 10_000, 3_333, 3_333), bonus_reversal(300, 10_000, 6_666, 3_334)];
            assert_eq!(steps, [99, 100, 101]);
            assert_eq!(steps.iter().sum::<i64>(), 300);
            assert_eq!(bonus_reversal(300, 0, 0, 10), 0);
        }
    }

    both! {
        fn eligibility_for_the_cashier() {
            let rules = ReturnRules::default();
            assert_eq!(eligibility(&rules, day(11, 1), day(11, 15), true, false, 24), Eligibility::Return);
            assert_eq!(
                eligibility(&rules, day(11, 1), day(11, 16), true, false, 24),
                Eligibility::Refused(RefusalReason::WindowEnded { ended: day(11, 15) })
            );
            assert_eq!(eligibility(&rules, day(11, 1), day(11, 2), false, false, 24), Eligibility::Refused(RefusalReason::NonReturnable));
            assert_eq!(
                eligibility(&rules, day(1, 31), day(11, 2), false, true, 12),
                Eligibility::WarrantyClaim { warranty_until: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap() }
            );
            assert!(matches!(eligibility(&rules, day(1, 1), day(11, 2), true, true, 6), Eligibility::Refused(RefusalReason::WarrantyExpired { .. })));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_sequence_of_returns_refunds_exactly_what_was_paid(
                sold in 1i64..100_000,
                paid in 0i64..100_000_000,
                steps in proptest::collection::vec(1i64..20_000, 1..30),
            ) {
                let mut line = SoldLine { sold, paid, returned: 0, refunded: 0 };
                for s in steps {
                    let units = s.min(line.returnable_units());
                    if units == 0 { break; }
                    let r = line.refund_for(units).unwrap();
                    prop_assert!(r >= 0);
                    line.returned += units;
                    line.refunded += r;
                    prop_assert!(line.refunded <= paid);
                }
                if line.returnable_units() > 0 {
                    let r = line.refund_for(line.returnable_units()).unwrap();
                    line.refunded += r;
                }
                prop_assert_eq!(line.refunded, paid);
            }

            #[test]
            fn no_method_gets_back_more_than_it_holds(
                paid in proptest::collection::vec(0i64..1_000_000, 1..5),
                take in 0u32..=100,
            ) {
                const METHODS: [PaymentMethod; 5] =
                    [PaymentMethod::Cash, PaymentMethod::Card, PaymentMethod::Online, PaymentMethod::BankTransfer, PaymentMethod::Bonus];
                let payments: Vec<Payment> =
                    paid.iter().zip(METHODS).map(|(p, method)| Payment { method, paid: *p, refunded: 0 }).collect();
                let total: i64 = paid.iter().sum();
                prop_assume!(total > 0);
                let amount = total * i64::from(take) / 100;
                let parts = refund_methods(amount, &payments).unwrap();
                prop_assert_eq!(parts.iter().map(|p| p.amount).sum::<i64>(), amount);
                for part in &parts {
                    let pay = payments.iter().find(|p| p.method == part.method).unwrap();
                    prop_assert!(part.amount <= pay.paid);
                }
            }
        }
    }
}
