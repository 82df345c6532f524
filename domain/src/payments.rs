//! Payments rules (оплата): where one payment attempt with a provider stands.

use serde::{Deserialize, Serialize};

coded! {
    /// One attempt to pay an order online.
    AttemptStatus {
        Pending => "pending",
        Succeeded => "succeeded",
        Declined => "declined",
    }
}

impl AttemptStatus {
    /// Whether the provider may still report a result for the attempt: a declined card can be
    /// tried again on the same payment page; a succeeded payment is final.
    pub fn accepts_report(self) -> bool {
        self != Self::Succeeded
    }
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
        }
    }
}
