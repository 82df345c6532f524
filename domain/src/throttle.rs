//! Slowing down repeated failed sign-in attempts, per account and per network address.
//!
//! The state is kept by the server in the database (so every app server sees the same counts);
//! the decisions are made here.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How many failures are free, and how the wait grows after that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed before any wait is imposed.
    pub free_failures: u32,
    /// The first wait; every further failure doubles it.
    pub base_wait_secs: i64,
    /// The longest wait.
    pub max_wait_secs: i64,
    /// Failures older than this are forgotten.
    pub forget_after_secs: i64,
}

impl ThrottlePolicy {
    /// For one account from one address: a person mistyping gets five tries, a guesser is slowed
    /// to a crawl (the owner signing in from another address is not).
    pub const ACCOUNT: Self =
        Self { free_failures: 5, base_wait_secs: 30, max_wait_secs: 15 * 60, forget_after_secs: 3600 };
    /// For one network address, which may be an office full of people behind one NAT.
    pub const ADDRESS: Self =
        Self { free_failures: 30, base_wait_secs: 60, max_wait_secs: 60 * 60, forget_after_secs: 3600 };
    /// New accounts from one address (every registration counts, not only failed ones).
    pub const REGISTRATION: Self =
        Self { free_failures: 5, base_wait_secs: 10 * 60, max_wait_secs: 60 * 60, forget_after_secs: 3600 };
    /// Catalog exports (up to 100 000 rows each) from one address.
    pub const EXPORTS: Self =
        Self { free_failures: 10, base_wait_secs: 60, max_wait_secs: 15 * 60, forget_after_secs: 600 };
    /// Confirmation codes sent by SMS to one phone number (every request counts): a resend or two
    /// are free, then the number rests, so nobody can flood a stranger's phone or our SMS bill.
    pub const PHONE_CODES: Self =
        Self { free_failures: 3, base_wait_secs: 60, max_wait_secs: 60 * 60, forget_after_secs: 3600 };
    /// Confirmation codes requested from one address, whatever the numbers.
    pub const PHONE_CODES_ADDRESS: Self =
        Self { free_failures: 10, base_wait_secs: 5 * 60, max_wait_secs: 60 * 60, forget_after_secs: 3600 };
    /// Wrong or expired one-time links tried from one address.
    pub const LINKS: Self =
        Self { free_failures: 10, base_wait_secs: 60, max_wait_secs: 60 * 60, forget_after_secs: 3600 };
}

/// What is remembered about one account or address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ThrottleState {
    pub failures: u32,
    pub last_failure: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// The verdict before an attempt is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    Allowed,
    /// Refused without checking the password; try again after this many seconds.
    Wait {
        seconds: i64,
    },
}

impl ThrottlePolicy {
    pub fn check(&self, state: &ThrottleState, now: DateTime<Utc>) -> Throttle {
        match state.locked_until {
            Some(until) if until > now => Throttle::Wait { seconds: (until - now).num_seconds().max(1) },
            _ => Throttle::Allowed,
        }
    }

    /// The state after one more failed attempt at `now`.
    pub fn after_failure(&self, state: &ThrottleState, now: DateTime<Utc>) -> ThrottleState {
        let stale = state.last_failure.is_none_or(|t| now - t > Duration::seconds(self.forget_after_secs));
        let failures = if stale { 1 } else { state.failures.saturating_add(1) };
        let locked_until = (failures >= self.free_failures).then(|| {
            let doublings = (failures - self.free_failures).min(20);
            let wait = self.base_wait_secs.saturating_mul(1_i64 << doublings).min(self.max_wait_secs);
            now + Duration::seconds(wait)
        });
        ThrottleState { failures, last_failure: Some(now), locked_until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()
    }

    both! {
        fn five_free_failures_then_growing_waits() {
            let p = ThrottlePolicy::ACCOUNT;
            let mut s = ThrottleState::default();
            let mut now = t0();
            for _ in 0..4 {
                s = p.after_failure(&s, now);
                assert_eq!(p.check(&s, now), Throttle::Allowed);
                now += Duration::seconds(1);
            }
            s = p.after_failure(&s, now);
            assert_eq!(p.check(&s, now), Throttle::Wait { seconds: 30 });
            now += Duration::seconds(31);
            assert_eq!(p.check(&s, now), Throttle::Allowed);
            s = p.after_failure(&s, now);
            assert_eq!(p.check(&s, now), Throttle::Wait { seconds: 60 });
            for _ in 0..10 {
                s = p.after_failure(&s, now);
            }
            assert_eq!(p.check(&s, now), Throttle::Wait { seconds: 15 * 60 });
        }
    }

    both! {
        fn old_failures_are_forgotten() {
            let p = ThrottlePolicy::ACCOUNT;
            let mut s = ThrottleState::default();
            for _ in 0..4 {
                s = p.after_failure(&s, t0());
            }
            let later = t0() + Duration::hours(2);
            s = p.after_failure(&s, later);
            assert_eq!(s.failures, 1);
            assert_eq!(p.check(&s, later), Throttle::Allowed);
        }
    }

    both! {
        fn many_failures_do_not_overflow() {
            let p = ThrottlePolicy::ADDRESS;
            let s = ThrottleState { failures: u32::MAX, last_failure: Some(t0()), locked_until: None };
            let s = p.after_failure(&s, t0());
            assert_eq!(p.check(&s, t0()), Throttle::Wait { seconds: 3600 });
        }
    }
}
