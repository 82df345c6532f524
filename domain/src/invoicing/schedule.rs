//! A payment schedule (график платежей) as a manager types it: one row per instalment, its due day
//! and its share of the order — a sum in roubles or a percentage of what the sums leave. Every
//! problem is reported at its row's field; the instalments come from
//! [`crate::credit::payment_schedule`], so they always add up to the order's total.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::credit::{Instalment, InstalmentPlan, Share, payment_schedule};
use crate::money::{Currency, Money, Percent};

/// The most instalments one order is split into.
pub const MAX_INSTALMENTS: usize = 12;

/// How far ahead of today an instalment may fall (two years).
pub const MAX_DAYS_AHEAD: u64 = 730;

/// One row of the form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    /// `YYYY-MM-DD`.
    pub due: String,
    /// Roubles (`120 000,50`) or a percentage (`30 %`).
    pub share: String,
}

/// A problem of the schedule: the field it belongs to (`due.N`, `share.N` for row N counted from
/// 0, or `plan` for the whole) and its message code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanProblem {
    pub field: String,
    pub code: &'static str,
}

impl PlanProblem {
    fn at(field: String, code: &'static str) -> Self {
        Self { field, code }
    }
}

/// The rows as one text, a row per line (`date;share`): how the form sends them.
pub fn encode(rows: &[PlanRow]) -> String {
    rows.iter().map(|r| format!("{};{}", r.due.trim(), r.share.trim())).collect::<Vec<_>>().join("\n")
}

/// The rows of [`encode`]'s text; blank lines are skipped.
pub fn decode(text: &str) -> Vec<PlanRow> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (due, share) = l.split_once(';').unwrap_or((l, ""));
            PlanRow { due: due.trim().to_string(), share: share.trim().to_string() }
        })
        .collect()
}

/// Checks the typed rows against the order's `total` (kopecks) on `today` and answers the
/// instalments, or every problem found.
pub fn instalments(rows: &[PlanRow], total: i64, today: NaiveDate) -> Result<Vec<Instalment>, Vec<PlanProblem>> {
    if rows.is_empty() {
        return Err(vec![PlanProblem::at("plan".into(), "schedule.empty")]);
    }
    if rows.len() > MAX_INSTALMENTS {
        return Err(vec![PlanProblem::at("plan".into(), "schedule.too_many")]);
    }
    let latest = today.checked_add_days(Days::new(MAX_DAYS_AHEAD)).unwrap_or(NaiveDate::MAX);
    let mut problems = Vec::new();
    let mut plan = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let due = match NaiveDate::parse_from_str(row.due.trim(), "%Y-%m-%d") {
            Ok(d) if d < today => Err("schedule.date_past"),
            Ok(d) if d > latest => Err("schedule.date_far"),
            Ok(d) => Ok(d),
            Err(_) => Err("schedule.date"),
        };
        let share = share(&row.share);
        if let Err(code) = due {
            problems.push(PlanProblem::at(format!("due.{i}"), code));
        }
        if let Err(code) = share {
            problems.push(PlanProblem::at(format!("share.{i}"), code));
        }
        if let (Ok(due), Ok(share)) = (due, share) {
            plan.push(InstalmentPlan { due, share });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    payment_schedule(total, &plan).map_err(|e| vec![PlanProblem::at("plan".into(), e.code())])
}

/// A share as typed: a percentage when it ends with `%`, else roubles.
fn share(typed: &str) -> Result<Share, &'static str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("schedule.share_missing");
    }
    if typed.ends_with('%') {
        return match Percent::parse(typed) {
            Ok(p) if p.value() > rust_decimal::Decimal::ZERO => Ok(Share::Percent(p)),
            _ => Err("schedule.percent"),
        };
    }
    match Money::parse(typed, Currency::Rub).and_then(|m| m.to_minor()) {
        Ok(k) if k > 0 => Ok(Share::Fixed(k)),
        Ok(_) => Err("schedule.not_positive"),
        Err(e) => Err(e.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn rows(text: &str) -> Vec<PlanRow> {
        decode(text)
    }

    both! {
        fn typed_schedules_become_instalments_adding_up_to_the_total() {
            let today = d(11, 30);
            // Half up front, the rest in two equal parts; a fixed sum and percentages of the rest.
            let s = instalments(&rows("2026-12-01;50 %\n2026-12-15;25%\n\n2027-01-15;25,0 %"), 100_001, today).unwrap();
            assert_eq!(s.iter().map(|i| i.amount).sum::<i64>(), 100_001);
            assert_eq!(s[0].due, d(12, 1));
            let s = instalments(&rows("2026-12-01;400,50\n2026-12-20;100 %"), 100_000, today).unwrap();
            assert_eq!((s[0].amount, s[1].amount), (40_050, 59_950));
            let s = instalments(&rows("2026-11-30;1 000\n2026-12-31;600"), 160_000, today).unwrap();
            assert_eq!(s.iter().map(|i| i.amount).collect::<Vec<_>>(), vec![100_000, 60_000]);
            assert_eq!(decode(&encode(&rows("2026-12-01;50 %\n2026-12-15;50%"))), rows("2026-12-01;50 %\n2026-12-15;50%"));
        }
    }

    both! {
        fn every_problem_is_told_at_its_row() {
            let today = d(11, 30);
            let err = |text: &str, total| instalments(&rows(text), total, today).unwrap_err();
            let at = |p: &[PlanProblem]| p.iter().map(|p| (p.field.clone(), p.code)).collect::<Vec<_>>();
            assert_eq!(
                at(&err("2026-11-29;50%\n31.12.2026;abc\n2029-01-01;0\n2026-12-31;", 100)),
                vec![
                    ("due.0".into(), "schedule.date_past"),
                    ("due.1".into(), "schedule.date"),
                    ("share.1".into(), "money.malformed"),
                    ("due.2".into(), "schedule.date_far"),
                    ("share.2".into(), "schedule.not_positive"),
                    ("share.3".into(), "schedule.share_missing"),
                ]
            );
            assert_eq!(at(&err("2026-12-01;0 %", 100)), vec![("share.0".into(), "schedule.percent")]);
            assert_eq!(at(&err("2026-12-01;120 %", 100)), vec![("share.0".into(), "schedule.percent")]);
            assert_eq!(at(&err("", 100)), vec![("plan".into(), "schedule.empty")]);
            let many: String = (1..=13).map(|m| format!("2027-{:02}-01;1\n", m.min(12))).collect();
            assert_eq!(at(&err(&many, 100)), vec![("plan".into(), "schedule.too_many")]);
            assert_eq!(at(&err("2026-12-01;60%\n2026-12-02;30%", 100)), vec![("plan".into(), "schedule.percents_not_100")]);
            assert_eq!(at(&err("2026-12-02;50%\n2026-12-01;50%", 100)), vec![("plan".into(), "schedule.dates_not_increasing")]);
            assert_eq!(at(&err("2026-12-01;0,60\n2026-12-02;0,60", 100)), vec![("plan".into(), "schedule.sum_mismatch")]);
        }
    }
}
