//! Invoicing rules (счёт на оплату): an invoice's number and the day it falls due.

use chrono::{Datelike, Days, NaiveDate};

/// The number printed on the invoice of an order: the year it was issued and the order number,
/// `2026-000123`.
pub fn invoice_number(order_id: i64, issued_on: NaiveDate) -> String {
    format!("{}-{order_id:06}", issued_on.year())
}

/// The day an invoice must be paid by: the client's deferral (отсрочка) in calendar days after it
/// was issued.
pub fn due_date(issued_on: NaiveDate, deferral_days: u32) -> NaiveDate {
    issued_on + Days::new(u64::from(deferral_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn numbers_and_due_dates() {
            let day = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
            assert_eq!(invoice_number(123, day), "2026-000123");
            assert_eq!(invoice_number(1_234_567, day), "2026-1234567");
            assert_eq!(due_date(day, 14), NaiveDate::from_ymd_opt(2027, 1, 3).unwrap());
            assert_eq!(due_date(day, 0), day);
        }
    }
}
