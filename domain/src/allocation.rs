//! Exact splitting of money: order-level discounts spread over lines, VAT (НДС) extracted from
//! prices that include it. Everything in integer kopecks, so sums always match to the kopeck.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AllocationError {
    #[error("weights must not be negative")]
    NegativeWeight,
    #[error("nothing to spread the amount over")]
    NoWeight,
}

impl ErrorCode for AllocationError {
    fn code(&self) -> &'static str {
        match self {
            Self::NegativeWeight => "allocation.negative_weight",
            Self::NoWeight => "allocation.no_weight",
        }
    }
}

/// Splits `total` kopecks in proportion to `weights` by the largest-remainder method: every share
/// is its exact proportion rounded down, and the kopecks left go one each to the largest
/// remainders (ties to the earlier line). The shares always add up to `total`.
pub fn allocate(total: i64, weights: &[i64]) -> Result<Vec<i64>, AllocationError> {
    if weights.iter().any(|w| *w < 0) {
        return Err(AllocationError::NegativeWeight);
    }
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if sum == 0 {
        return if total == 0 { Ok(vec![0; weights.len()]) } else { Err(AllocationError::NoWeight) };
    }
    let sign: i128 = if total < 0 { -1 } else { 1 };
    let magnitude = i128::from(total).abs();
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, w) in weights.iter().enumerate() {
        let exact = magnitude * i128::from(*w);
        shares.push(exact / sum);
        remainders.push((exact % sum, i));
        given += exact / sum;
    }
    let left = (magnitude - given) as usize;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().take(left) {
        shares[i] += 1;
    }
    Ok(shares.into_iter().map(|s| (s * sign) as i64).collect())
}

/// A VAT rate (ставка НДС); prices include VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VatRate {
    /// Без НДС.
    Exempt,
    /// A rate in whole percent: 0, 10, 20, 22 …
    Percent(u8),
}

impl VatRate {
    /// The VAT inside an amount that includes it, rounded half away from zero to the kopeck:
    /// `amount × rate / (100 + rate)`.
    pub fn extract(self, gross_kopecks: i64) -> i64 {
        match self {
            Self::Exempt | Self::Percent(0) => 0,
            Self::Percent(rate) => {
                let rate = i128::from(rate);
                let numerator = i128::from(gross_kopecks) * rate;
                let denominator = 100 + rate;
                let (q, r) = (numerator / denominator, numerator % denominator);
                let rounded = if 2 * r.abs() >= denominator { q + numerator.signum() } else { q };
                rounded as i64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn largest_remainder() {
            assert_eq!(allocate(100, &[1, 1, 1]), Ok(vec![34, 33, 33]));
            assert_eq!(allocate(-100, &[1, 1, 1]), Ok(vec![-34, -33, -33]));
            assert_eq!(allocate(10, &[0, 5, 0]), Ok(vec![0, 10, 0]));
            assert_eq!(allocate(0, &[0, 0]), Ok(vec![0, 0]));
            assert_eq!(allocate(1, &[0, 0]), Err(AllocationError::NoWeight));
            assert_eq!(allocate(1, &[1, -1]), Err(AllocationError::NegativeWeight));
            // 5 % of 3 × 333.33 ₽ = 49.9995 ₽ → 50.00 ₽ split 16.67 + 16.67 + 16.66.
            assert_eq!(allocate(5000, &[33333, 33333, 33333]), Ok(vec![1667, 1667, 1666]));
        }
    }

    both! {
        fn vat_inside_prices() {
            assert_eq!(VatRate::Percent(20).extract(12_000), 2_000);
            assert_eq!(VatRate::Percent(22).extract(12_200), 2_200);
            assert_eq!(VatRate::Percent(10).extract(11_000), 1_000);
            // 100.00 ₽ at 20 %: 16.666… → 16.67.
            assert_eq!(VatRate::Percent(20).extract(10_000), 1_667);
            assert_eq!(VatRate::Percent(20).extract(-10_000), -1_667);
            assert_eq!(VatRate::Exempt.extract(10_000), 0);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn shares_add_up_exactly_and_stay_proportional(
                total in -10_000_000_000i64..10_000_000_000,
                weights in proptest::collection::vec(0i64..100_000_000, 1..500),
            ) {
                prop_assume!(weights.iter().any(|w| *w > 0));
                let shares = allocate(total, &weights).unwrap();
                prop_assert_eq!(shares.iter().sum::<i64>(), total);
                let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
                for (s, w) in shares.iter().zip(&weights) {
                    let exact = i128::from(total) * i128::from(*w);
                    // Each share is its exact proportion, off by less than one kopeck.
                    prop_assert!((i128::from(*s) * sum - exact).abs() < sum);
                    prop_assert!(total < 0 || *s >= 0);
                }
            }

            #[test]
            fn vat_is_never_more_than_the_amount(gross in -1_000_000_000i64..1_000_000_000, rate in 0u8..=30) {
                let vat = VatRate::Percent(rate).extract(gross);
                prop_assert!(vat.abs() <= gross.abs());
                prop_assert_eq!(vat.signum() * gross.signum() >= 0, true);
            }
        }
    }
}
