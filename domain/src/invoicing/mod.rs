//! Invoicing rules (счёт на оплату): an invoice's number, the day it falls due, banking days, and
//! a bank payment (платёжное поручение) staff record against an invoice.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ErrorCode;
use crate::money::{Currency, Money};

pub mod schedule;

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

/// Russia's non-working public holidays that fall on the same date every year (Labour Code,
/// art. 112): New Year holidays and Christmas 1–8 January, 23 February, 8 March, 1 and 9 May,
/// 12 June, 4 November. The days off the government moves each year are not in this list.
const HOLIDAYS: &[(u32, u32)] = &[
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
];

/// Whether banks credit payments on this day: not a weekend, not a public holiday.
pub fn is_banking_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !HOLIDAYS.contains(&(day.month(), day.day()))
}

/// The `n`-th banking day after `day` (a payment sent on a Friday is checked on the following
/// banking days, not over the weekend).
pub fn banking_days_after(day: NaiveDate, n: u32) -> NaiveDate {
    let mut current = day;
    let mut left = n;
    while left > 0 {
        current = current.succ_opt().unwrap_or(NaiveDate::MAX);
        if current == NaiveDate::MAX {
            break;
        }
        if is_banking_day(current) {
            left -= 1;
        }
    }
    current
}

/// How many banking days the accountant has to see an awaited payment arrive (seed 003: a task
/// "check the payment" three days after the invoice goes out).
pub const PAYMENT_CHECK_DAYS: u32 = 3;

/// A reminder about an unpaid invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    /// Its due day has come (only for invoices with a deferral: one due the day it is issued is
    /// no news to anyone).
    Due,
    /// Its due day has passed and it is not paid.
    Overdue,
}

impl Reminder {
    pub fn code(self) -> &'static str {
        match self {
            Self::Due => "due",
            Self::Overdue => "overdue",
        }
    }
}

/// Which reminder an unpaid invoice issued on `issued` and due on `due` calls for on `today`, given
/// those already sent (each is sent once; an invoice found overdue skips "due").
pub fn reminder(issued: NaiveDate, due: NaiveDate, today: NaiveDate, sent: &[Reminder]) -> Option<Reminder> {
    if today > due && !sent.contains(&Reminder::Overdue) {
        Some(Reminder::Overdue)
    } else if today == due && due > issued && !sent.contains(&Reminder::Due) && !sent.contains(&Reminder::Overdue) {
        Some(Reminder::Due)
    } else {
        None
    }
}

/// The longest payment document number kept (a bank's платёжное поручение number is at most 6
/// digits; statements from other systems carry longer references).
pub const DOCUMENT_MAX: usize = 40;

/// A payment that arrived at the bank for an invoice, as staff record it from the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankPayment {
    /// Kopecks.
    pub amount: i64,
    pub paid_on: NaiveDate,
    /// The payment document's number (номер платёжного поручения); one invoice is paid once per
    /// document, so the same statement line recorded twice counts once.
    pub document: String,
}

/// What is wrong with a recorded payment; each belongs to one field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BankPaymentError {
    #[error("the amount is not a sum of money")]
    Amount(&'static str),
    #[error("the amount must be above zero")]
    NotPositive,
    #[error("more than is left to pay on the invoice")]
    Overpaid,
    #[error("the payment date is not a date")]
    Date,
    #[error("the payment date is in the future")]
    Future,
    #[error("the payment date is before the invoice")]
    BeforeInvoice,
    #[error("the payment document number is missing")]
    NoDocument,
    #[error("the payment document number is too long")]
    LongDocument,
    #[error("the invoice is paid in full")]
    Settled,
}

impl ErrorCode for BankPaymentError {
    fn code(&self) -> &'static str {
        match self {
            Self::Amount(code) => code,
            Self::NotPositive => "invoice.amount_positive",
            Self::Overpaid => "invoice.overpaid",
            Self::Date => "invoice.date",
            Self::Future => "invoice.date_future",
            Self::BeforeInvoice => "invoice.date_before_invoice",
            Self::NoDocument => "invoice.document_missing",
            Self::LongDocument => "invoice.document_long",
            Self::Settled => "invoice.settled",
        }
    }
}

impl BankPaymentError {
    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Self::Amount(_) | Self::NotPositive | Self::Overpaid | Self::Settled => "amount",
            Self::Date | Self::Future | Self::BeforeInvoice => "paid_on",
            Self::NoDocument | Self::LongDocument => "document",
        }
    }
}

/// A payment document's number as kept: spaces collapsed ("п/п  417 " and "п/п 417" are one
/// document).
pub fn document_number(typed: &str) -> String {
    typed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A bank payment from the form as typed (`amount` in roubles, `paid_on` as `YYYY-MM-DD`), for an
/// invoice issued on `issued_on` with `outstanding` kopecks left: every problem at once.
pub fn bank_payment(
    amount: &str,
    paid_on: &str,
    document: &str,
    issued_on: NaiveDate,
    outstanding: i64,
    today: NaiveDate,
) -> Result<BankPayment, Vec<BankPaymentError>> {
    let mut errors = Vec::new();
    let kopecks = match Money::parse(amount, Currency::Rub).and_then(|m| m.to_minor()) {
        Ok(k) if outstanding <= 0 => {
            errors.push(BankPaymentError::Settled);
            k
        }
        Ok(k) if k <= 0 => {
            errors.push(BankPaymentError::NotPositive);
            k
        }
        Ok(k) if k > outstanding => {
            errors.push(BankPaymentError::Overpaid);
            k
        }
        Ok(k) => k,
        Err(e) => {
            errors.push(BankPaymentError::Amount(e.code()));
            0
        }
    };
    let date = match NaiveDate::parse_from_str(paid_on.trim(), "%Y-%m-%d") {
        Ok(d) if d > today => {
            errors.push(BankPaymentError::Future);
            d
        }
        Ok(d) if d < issued_on => {
            errors.push(BankPaymentError::BeforeInvoice);
            d
        }
        Ok(d) => d,
        Err(_) => {
            errors.push(BankPaymentError::Date);
            today
        }
    };
    let document = document_number(document);
    if document.is_empty() {
        errors.push(BankPaymentError::NoDocument);
    } else if document.chars().count() > DOCUMENT_MAX {
        errors.push(BankPaymentError::LongDocument);
    }
    if errors.is_empty() { Ok(BankPayment { amount: kopecks, paid_on: date, document }) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    both! {
        fn numbers_and_due_dates() {
            let day = d(2026, 12, 20);
            assert_eq!(invoice_number(123, day), "2026-000123");
            assert_eq!(invoice_number(1_234_567, day), "2026-1234567");
            assert_eq!(due_date(day, 14), d(2027, 1, 3));
            assert_eq!(due_date(day, 0), day);
        }
    }

    both! {
        fn banking_days_skip_weekends_and_holidays() {
            // Monday 2026-11-30 → Thursday.
            assert_eq!(banking_days_after(d(2026, 11, 30), 3), d(2026, 12, 3));
            // Friday → Wednesday, over the weekend.
            assert_eq!(banking_days_after(d(2026, 12, 4), 3), d(2026, 12, 9));
            // Before the New Year holidays: 30 December 2026 (Wednesday) → 31 Dec, then 11 and 12 January.
            assert_eq!(banking_days_after(d(2026, 12, 30), 3), d(2027, 1, 12));
            // 4 November 2026 is a Wednesday holiday; from 3 November: 5, 6, 9.
            assert_eq!(banking_days_after(d(2026, 11, 3), 3), d(2026, 11, 9));
            assert!(!is_banking_day(d(2027, 3, 8)));
            assert!(!is_banking_day(d(2026, 12, 5)));
            assert!(is_banking_day(d(2026, 12, 31)));
            assert_eq!(banking_days_after(d(2026, 12, 5), 0), d(2026, 12, 5));
        }
    }

    both! {
        fn reminders_come_once_on_the_due_day_and_once_after_it() {
            let issued = d(2026, 11, 1);
            let due = d(2026, 12, 1);
            assert_eq!(reminder(issued, due, d(2026, 11, 30), &[]), None);
            assert_eq!(reminder(issued, due, due, &[]), Some(Reminder::Due));
            assert_eq!(reminder(issued, due, due, &[Reminder::Due]), None);
            assert_eq!(reminder(issued, due, d(2026, 12, 2), &[Reminder::Due]), Some(Reminder::Overdue));
            assert_eq!(reminder(issued, due, d(2026, 12, 9), &[]), Some(Reminder::Overdue));
            assert_eq!(reminder(issued, due, d(2026, 12, 9), &[Reminder::Overdue]), None);
            // Due the day it is issued: no "due" news; overdue the day after.
            assert_eq!(reminder(due, due, due, &[]), None);
            assert_eq!(reminder(due, due, d(2026, 12, 2), &[]), Some(Reminder::Overdue));
        }
    }

    both! {
        fn bank_payments_are_checked_field_by_field() {
            let issued = d(2026, 11, 20);
            let today = d(2026, 11, 30);
            assert_eq!(
                bank_payment("1 234,50", "2026-11-27", "  п/п   417 ", issued, 500_000, today),
                Ok(BankPayment { amount: 123_450, paid_on: d(2026, 11, 27), document: "п/п 417".into() })
            );
            // The whole rest is fine; a kopeck more is not.
            assert!(bank_payment("5000", "2026-11-30", "1", issued, 500_000, today).is_ok());
            assert_eq!(bank_payment("5000,01", "2026-11-30", "1", issued, 500_000, today), Err(vec![BankPaymentError::Overpaid]));
            assert_eq!(bank_payment("1", "2026-11-30", "1", issued, 0, today), Err(vec![BankPaymentError::Settled]));
            let all = bank_payment("0", "2026-12-01", "", issued, 500_000, today).unwrap_err();
            assert_eq!(all, vec![BankPaymentError::NotPositive, BankPaymentError::Future, BankPaymentError::NoDocument]);
            let codes: Vec<_> = bank_payment("abc", "30.11.2026", &"9".repeat(41), issued, 1, today)
                .unwrap_err()
                .iter()
                .map(|e| (e.field(), e.code()))
                .collect();
            assert_eq!(codes, [("amount", "money.malformed"), ("paid_on", "invoice.date"), ("document", "invoice.document_long")]);
            assert_eq!(
                bank_payment("1,005", "2026-11-19", "7", issued, 1_000, today).unwrap_err(),
                vec![BankPaymentError::Amount("money.fraction_of_kopeck"), BankPaymentError::BeforeInvoice]
            );
            assert_eq!(bank_payment("-3", "2026-11-20", "7", issued, 1_000, today), Err(vec![BankPaymentError::NotPositive]));
        }
    }
}
