//! Wholesale credit (кредитный лимит и отсрочка платежа), receivables ageing (старение
//! дебиторской задолженности) and payment schedules (график платежей).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ErrorCode;
use crate::allocation::allocate;
use crate::money::Percent;

/// A client's credit terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditTerms {
    /// Кредитный лимит, kopecks.
    pub limit: i64,
    /// Отсрочка платежа: days from the invoice to its due date.
    pub deferral_days: u32,
    /// Days an invoice may be late before new orders are blocked.
    pub grace_days: u32,
}

/// An unpaid (or partly paid) invoice of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvoice {
    pub issued: NaiveDate,
    /// What is still to be paid, kopecks.
    pub outstanding: i64,
    /// The due day a payment schedule set; `None`: the client's deferral after the invoice.
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

impl OpenInvoice {
    pub fn due(&self, terms: &CreditTerms) -> NaiveDate {
        self.due.unwrap_or_else(|| {
            self.issued.checked_add_days(Days::new(u64::from(terms.deferral_days))).unwrap_or(NaiveDate::MAX)
        })
    }

    /// Days past due on `today`, 0 when not yet due.
    pub fn days_overdue(&self, terms: &CreditTerms, today: NaiveDate) -> i64 {
        (today - self.due(terms)).num_days().max(0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditDecision {
    Allowed,
    /// The order would exceed the limit: a head may approve the overrun.
    NeedsApproval,
    /// Overdue debt beyond the grace period: no new orders on credit until it is paid.
    Blocked,
}

/// The verdict with the numbers the buyer and the manager need to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditCheck {
    pub decision: CreditDecision,
    pub limit: i64,
    pub outstanding: i64,
    /// Limit minus outstanding debt (may be negative).
    pub available: i64,
    /// How far this order goes over the available credit (0 when it fits).
    pub shortfall: i64,
    pub overdue: i64,
    pub max_days_overdue: i64,
}

pub fn check_credit(terms: &CreditTerms, invoices: &[OpenInvoice], order_total: i64, today: NaiveDate) -> CreditCheck {
    let outstanding: i64 = invoices.iter().map(|i| i.outstanding.max(0)).sum();
    let late: Vec<_> = invoices.iter().filter(|i| i.outstanding > 0 && i.days_overdue(terms, today) > 0).collect();
    let overdue: i64 = late.iter().map(|i| i.outstanding).sum();
    let max_days_overdue = late.iter().map(|i| i.days_overdue(terms, today)).max().unwrap_or(0);
    let available = terms.limit - outstanding;
    let shortfall = (order_total - available).max(0);
    let decision = if max_days_overdue > i64::from(terms.grace_days) {
        CreditDecision::Blocked
    } else if shortfall > 0 {
        CreditDecision::NeedsApproval
    } else {
        CreditDecision::Allowed
    };
    CreditCheck { decision, limit: terms.limit, outstanding, available, shortfall, overdue, max_days_overdue }
}

/// Receivables by days overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ageing {
    pub not_due: i64,
    pub days_1_30: i64,
    pub days_31_60: i64,
    pub days_61_90: i64,
    pub days_over_90: i64,
}

impl Ageing {
    pub fn total(&self) -> i64 {
        self.not_due + self.days_1_30 + self.days_31_60 + self.days_61_90 + self.days_over_90
    }
}

pub fn ageing(terms: &CreditTerms, invoices: &[OpenInvoice], today: NaiveDate) -> Ageing {
    let mut a = Ageing::default();
    for i in invoices.iter().filter(|i| i.outstanding > 0) {
        let bucket = match i.days_overdue(terms, today) {
            0 => &mut a.not_due,
            1..=30 => &mut a.days_1_30,
            31..=60 => &mut a.days_31_60,
            61..=90 => &mut a.days_61_90,
            _ => &mut a.days_over_90,
        };
        *bucket += i.outstanding;
    }
    a
}

/// How much of the total one instalment takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Share {
    /// A fixed amount in kopecks.
    Fixed(i64),
    /// A percentage of what the fixed instalments leave.
    Percent(Percent),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalmentPlan {
    pub due: NaiveDate,
    pub share: Share,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    pub due: NaiveDate,
    pub amount: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ScheduleError {
    #[error("a schedule needs at least one instalment")]
    Empty,
    #[error("instalment dates must increase")]
    DatesNotIncreasing,
    #[error("instalments must be positive")]
    NotPositive,
    #[error("the percentages must add up to 100 %")]
    PercentsNot100,
    #[error("the instalments do not add up to the total")]
    SumMismatch,
}

impl ErrorCode for ScheduleError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "schedule.empty",
            Self::DatesNotIncreasing => "schedule.dates_not_increasing",
            Self::NotPositive => "schedule.not_positive",
            Self::PercentsNot100 => "schedule.percents_not_100",
            Self::SumMismatch => "schedule.sum_mismatch",
        }
    }
}

/// Splits `total` kopecks into instalments. Fixed amounts are taken as they are; percentages
/// share what remains (they must add up to 100 %) by largest remainder. The result always adds
/// up to `total` and its dates strictly increase.
pub fn payment_schedule(total: i64, plan: &[InstalmentPlan]) -> Result<Vec<Instalment>, ScheduleError> {
    if plan.is_empty() {
        return Err(ScheduleError::Empty);
    }
    if plan.windows(2).any(|w| w[1].due <= w[0].due) {
        return Err(ScheduleError::DatesNotIncreasing);
    }
    let fixed: i64 = plan.iter().map(|p| if let Share::Fixed(a) = p.share { a } else { 0 }).sum();
    if plan.iter().any(|p| matches!(p.share, Share::Fixed(a) if a <= 0)) {
        return Err(ScheduleError::NotPositive);
    }
    let weights: Vec<i64> = plan
        .iter()
        .filter_map(|p| match p.share {
            Share::Percent(pc) => {
                Some(i64::try_from((pc.value() * rust_decimal::Decimal::from(10_000)).round()).unwrap_or(0))
            }
            Share::Fixed(_) => None,
        })
        .collect();
    let rest = total - fixed;
    if weights.is_empty() {
        if rest != 0 {
            return Err(ScheduleError::SumMismatch);
        }
    } else if weights.iter().sum::<i64>() != 1_000_000 {
        return Err(ScheduleError::PercentsNot100);
    }
    if rest < 0 {
        return Err(ScheduleError::SumMismatch);
    }
    let mut shares = allocate(rest, &weights).map_err(|_| ScheduleError::SumMismatch)?.into_iter();
    let instalments: Vec<Instalment> = plan
        .iter()
        .map(|p| Instalment {
            due: p.due,
            amount: match p.share {
                Share::Fixed(a) => a,
                Share::Percent(_) => shares.next().unwrap_or(0),
            },
        })
        .collect();
    if instalments.iter().any(|i| i.amount <= 0) {
        return Err(ScheduleError::NotPositive);
    }
    Ok(instalments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;
    use rust_decimal::Decimal;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    const TERMS: CreditTerms = CreditTerms { limit: 100_000_000, deferral_days: 30, grace_days: 5 };

    both! {
        fn credit_outcomes_with_numbers() {
            let today = day(11, 22);
            let fresh = [OpenInvoice { issued: day(11, 1), outstanding: 60_000_000, due: None }];
            let ok = check_credit(&TERMS, &fresh, 30_000_000, today);
            assert_eq!((ok.decision, ok.available, ok.shortfall), (CreditDecision::Allowed, 40_000_000, 0));
            let over = check_credit(&TERMS, &fresh, 50_000_000, today);
            assert_eq!((over.decision, over.shortfall), (CreditDecision::NeedsApproval, 10_000_000));
            // Due 21.10, 32 days late: beyond the 5-day grace.
            let late = [OpenInvoice { issued: day(9, 21), outstanding: 1_000_000, due: None }, fresh[0]];
            let blocked = check_credit(&TERMS, &late, 100, today);
            assert_eq!(blocked.decision, CreditDecision::Blocked);
            assert_eq!((blocked.overdue, blocked.max_days_overdue), (1_000_000, 32));
            // A schedule's own due day counts, not the deferral: the instalment due 01.11 is 21 days late.
            let scheduled = [OpenInvoice { issued: day(10, 1), outstanding: 1_000_000, due: Some(day(11, 1)) }];
            assert_eq!(check_credit(&TERMS, &scheduled, 100, today).max_days_overdue, 21);
            let later = [OpenInvoice { issued: day(9, 1), outstanding: 1_000_000, due: Some(day(12, 1)) }];
            assert_eq!(check_credit(&TERMS, &later, 100, today).decision, CreditDecision::Allowed);
            // Within the grace period the order is still allowed.
            let slightly = [OpenInvoice { issued: day(10, 20), outstanding: 1_000_000, due: None }];
            assert_eq!(check_credit(&TERMS, &slightly, 100, today).decision, CreditDecision::Allowed);
        }
    }

    both! {
        fn ageing_buckets() {
            let today = day(11, 22);
            let inv = |m, d, a| OpenInvoice { issued: day(m, d), outstanding: a, due: None };
            let a = ageing(&TERMS, &[inv(11, 1, 1), inv(10, 20, 10), inv(9, 15, 100), inv(8, 10, 1000), inv(6, 1, 10000), inv(1, 1, 0)], today);
            assert_eq!(a, Ageing { not_due: 1, days_1_30: 10, days_31_60: 100, days_61_90: 1000, days_over_90: 10000 });
            assert_eq!(a.total(), 11111);
        }
    }

    both! {
        fn schedules() {
            let p = |m, d, s| InstalmentPlan { due: day(m, d), share: s };
            let pc = |v: i64| Share::Percent(Percent::new(Decimal::from(v)).unwrap());
            let s = payment_schedule(100_000, &[p(1, 10, pc(30)), p(2, 10, pc(30)), p(3, 10, pc(40))]).unwrap();
            assert_eq!(s.iter().map(|i| i.amount).collect::<Vec<_>>(), vec![30_000, 30_000, 40_000]);
            let s = payment_schedule(100_001, &[p(1, 10, Share::Fixed(50_000)), p(2, 10, pc(50)), p(3, 10, pc(50))]).unwrap();
            assert_eq!(s.iter().map(|i| i.amount).sum::<i64>(), 100_001);
            assert_eq!(payment_schedule(100, &[p(2, 1, pc(50)), p(1, 1, pc(50))]), Err(ScheduleError::DatesNotIncreasing));
            assert_eq!(payment_schedule(100, &[p(1, 1, pc(50)), p(2, 1, pc(40))]), Err(ScheduleError::PercentsNot100));
            assert_eq!(payment_schedule(100, &[p(1, 1, Share::Fixed(60)), p(2, 1, Share::Fixed(60))]), Err(ScheduleError::SumMismatch));
            assert_eq!(payment_schedule(100, &[]), Err(ScheduleError::Empty));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn schedules_sum_to_the_total(total in 1_000i64..1_000_000_000, cuts in proptest::collection::vec(1i64..100, 1..12)) {
                // Turn arbitrary cuts into whole percentages adding up to 100.
                let sum: i64 = cuts.iter().sum();
                let mut percents: Vec<i64> = cuts.iter().map(|c| c * 100 / sum).collect();
                let short = 100 - percents.iter().sum::<i64>();
                percents[0] += short;
                prop_assume!(percents.iter().all(|p| *p > 0));
                let plan: Vec<InstalmentPlan> = percents.iter().enumerate().map(|(i, p)| InstalmentPlan {
                    due: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(30 * i as i64),
                    share: Share::Percent(Percent::new(rust_decimal::Decimal::from(*p)).unwrap()),
                }).collect();
                let s = payment_schedule(total, &plan).unwrap();
                prop_assert_eq!(s.iter().map(|i| i.amount).sum::<i64>(), total);
                prop_assert!(s.windows(2).all(|w| w[0].due < w[1].due));
            }
        }
    }
}
