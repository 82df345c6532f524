//! Payments rules (оплата): where one payment attempt with a provider stands, and what an order's
//! attempts together say about its payment.
//!
//! An order may have several attempts (the buyer pays again after a decline, or opens a new one):
//! a new attempt cancels the open one, and the order's payment status is derived from **all** its
//! attempts — paid once any attempt succeeded for the full amount, whatever any other attempt
//! reports later.

use serde::{Deserialize, Serialize};

use crate::ordering::PaymentStatus;

coded! {
    /// One attempt to pay an order online.
    AttemptStatus {
        Pending => "pending",
        Succeeded => "succeeded",
        Declined => "declined",
        /// Replaced by a newer attempt of the same order before it was settled.
        Cancelled => "cancelled",
    }
}

/// What a provider reported about an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Succeeded,
    Declined,
}

impl AttemptStatus {
    /// Whether the buyer may still act on the attempt's pay page: a declined card can be tried
    /// again on the same page; a succeeded or cancelled attempt is closed.
    pub fn accepts_report(self) -> bool {
        matches!(self, Self::Pending | Self::Declined)
    }

    /// The attempt's status after the provider reports `report`: a success is final; a success on
    /// a cancelled attempt still counts (the money was taken), a decline of it changes nothing.
    pub fn after(self, report: Report) -> Self {
        match (self, report) {
            (Self::Succeeded, _) => Self::Succeeded,
            (_, Report::Succeeded) => Self::Succeeded,
            (Self::Cancelled, Report::Declined) => Self::Cancelled,
            (_, Report::Declined) => Self::Declined,
        }
    }
}

/// The order's payment status from all its attempts (`(status, amount)`, oldest first): paid once
/// any attempt succeeded for at least the order's total; otherwise pending while one is open;
/// otherwise declined if the latest settled attempt was; otherwise unpaid.
pub fn order_payment(attempts: &[(AttemptStatus, i64)], total: i64) -> PaymentStatus {
    if attempts.iter().any(|(s, amount)| *s == AttemptStatus::Succeeded && *amount >= total) {
        return PaymentStatus::Paid;
    }
    if attempts.iter().any(|(s, _)| *s == AttemptStatus::Pending) {
        return PaymentStatus::Pending;
    }
    match attempts.iter().rev().find(|(s, _)| *s != AttemptStatus::Cancelled) {
        Some((AttemptStatus::Declined, _)) => PaymentStatus::Declined,
        _ => PaymentStatus::Unpaid,
    }
}

/// What cancelling a paid order gives back, per attempt (`(index, kopecks)`, only those with
/// something to return): nothing was delivered, so every attempt that took money returns all it
/// still holds — the goods' price and anything paid twice — exact to the kopeck, never more than
/// an attempt took. `attempts`: `(status, amount, already refunded)`.
pub fn cancellation_refunds(attempts: &[(AttemptStatus, i64, i64)]) -> Vec<(usize, i64)> {
    attempts
        .iter()
        .enumerate()
        .filter(|(_, (s, ..))| *s == AttemptStatus::Succeeded)
        .map(|(i, (_, amount, refunded))| (i, (amount - refunded).max(0)))
        .filter(|(_, left)| *left > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn codes_and_what_is_still_open() {
            for s in AttemptStatus::ALL {
                assert_eq!(AttemptStatus::parse(s.code()), Some(*s));
            }
            assert!(AttemptStatus::Pending.accepts_report());
            assert!(AttemptStatus::Declined.accepts_report());
            assert!(!AttemptStatus::Succeeded.accepts_report());
            assert!(!AttemptStatus::Cancelled.accepts_report());
        }
    }

    both! {
        fn a_success_is_final_and_a_cancelled_attempt_only_takes_money() {
            use AttemptStatus::*;
            assert_eq!(Succeeded.after(Report::Declined), Succeeded);
            assert_eq!(Pending.after(Report::Declined), Declined);
            assert_eq!(Declined.after(Report::Succeeded), Succeeded);
            assert_eq!(Cancelled.after(Report::Declined), Cancelled);
            assert_eq!(Cancelled.after(Report::Succeeded), Succeeded);
        }
    }

    both! {
        fn the_order_is_paid_by_any_full_success_whatever_comes_after() {
            use AttemptStatus::*;
            assert_eq!(order_payment(&[], 100), PaymentStatus::Unpaid);
            assert_eq!(order_payment(&[(Pending, 100)], 100), PaymentStatus::Pending);
            assert_eq!(order_payment(&[(Succeeded, 100), (Declined, 100)], 100), PaymentStatus::Paid);
            assert_eq!(order_payment(&[(Declined, 100), (Succeeded, 100)], 100), PaymentStatus::Paid);
            assert_eq!(order_payment(&[(Cancelled, 100), (Declined, 100)], 100), PaymentStatus::Declined);
            assert_eq!(order_payment(&[(Declined, 100), (Cancelled, 100)], 100), PaymentStatus::Declined);
            assert_eq!(order_payment(&[(Cancelled, 100)], 100), PaymentStatus::Unpaid);
            assert_eq!(order_payment(&[(Declined, 100), (Pending, 100)], 100), PaymentStatus::Pending);
            // A success for less than the total does not pay the order.
            assert_eq!(order_payment(&[(Succeeded, 99)], 100), PaymentStatus::Unpaid);
        }
    }

    both! {
        fn a_cancelled_paid_order_gets_back_exactly_what_was_taken() {
            use AttemptStatus::*;
            // One payment of 1 234,57 ₽ after a declined one: all of it, to the kopeck, to that payment.
            assert_eq!(cancellation_refunds(&[(Declined, 123_457, 0), (Succeeded, 123_457, 0)]), vec![(1, 123_457)]);
            // Paid twice: both come back in full.
            assert_eq!(
                cancellation_refunds(&[(Succeeded, 123_457, 0), (Succeeded, 123_457, 0)]),
                vec![(0, 123_457), (1, 123_457)]
            );
            // What was refunded before is not refunded again; nothing taken, nothing given.
            assert_eq!(cancellation_refunds(&[(Succeeded, 123_457, 100_000)]), vec![(0, 23_457)]);
            assert_eq!(cancellation_refunds(&[(Succeeded, 123_457, 123_457)]), vec![]);
            assert_eq!(cancellation_refunds(&[(Pending, 123_457, 0), (Cancelled, 1, 0)]), vec![]);
        }
    }
}
