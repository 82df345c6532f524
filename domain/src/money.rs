//! Money (деньги), quantities (количество) and percentages.
//!
//! Amounts are exact decimals (`rust_decimal`), never floats. The database keeps integer minor
//! units (kopecks); conversion is exact both ways.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{ErrorCode, Locale};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Currency {
    /// Российский рубль.
    #[default]
    Rub,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Rub => "RUB",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::Rub => "₽",
        }
    }

    /// Digits after the decimal point of the minor unit (kopecks: 2).
    pub fn minor_digits(self) -> u32 {
        2
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("amount has more digits after the point than the currency's minor unit")]
    NotWholeMinorUnits,
    #[error("amount is too large")]
    Overflow,
    #[error("amount is not a number")]
    Malformed,
    #[error("amounts in different currencies")]
    CurrencyMismatch,
}

impl ErrorCode for MoneyError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotWholeMinorUnits => "money.fraction_of_kopeck",
            Self::Overflow => "money.too_large",
            Self::Malformed => "money.malformed",
            Self::CurrencyMismatch => "money.currency_mismatch",
        }
    }
}

/// An amount of money in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    pub fn zero(currency: Currency) -> Self {
        Self { amount: Decimal::ZERO, currency }
    }

    /// An exact amount; it may carry fractions of a kopeck until [`Money::round`].
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    pub fn rub(amount: Decimal) -> Self {
        Self::new(amount, Currency::Rub)
    }

    /// From integer minor units as stored in the database.
    pub fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { amount: Decimal::new(minor, currency.minor_digits()), currency }
    }

    /// To integer minor units; refuses an amount with fractions of a kopeck rather than lose them.
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        let scaled = self
            .amount
            .checked_mul(Decimal::from(10_i64.pow(self.currency.minor_digits())))
            .ok_or(MoneyError::Overflow)?;
        if scaled.fract() != Decimal::ZERO {
            return Err(MoneyError::NotWholeMinorUnits);
        }
        i64::try_from(scaled).map_err(|_| MoneyError::Overflow)
    }

    /// Parses `1234.56`, `1 234,56` or `1234,5` as typed by a person.
    pub fn parse(input: &str, currency: Currency) -> Result<Self, MoneyError> {
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        let amount: Decimal = cleaned.parse().map_err(|_| MoneyError::Malformed)?;
        let money = Self::new(amount, currency);
        money.to_minor()?;
        Ok(money)
    }

    /// Rounded to whole kopecks, half away from zero (0.005 → 0.01, −0.005 → −0.01).
    pub fn round(self) -> Self {
        Self {
            amount: self
                .amount
                .round_dp_with_strategy(self.currency.minor_digits(), RoundingStrategy::MidpointAwayFromZero),
            currency: self.currency,
        }
    }

    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        let amount = self.amount.checked_add(other.amount).ok_or(MoneyError::Overflow)?;
        Ok(Self { amount, currency: self.currency })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(Money { amount: -other.amount, currency: other.currency })
    }

    /// `1 234,56 ₽` in Russian, `₽1,234.56` in English; always two kopeck digits.
    pub fn format(&self, locale: Locale) -> String {
        format_minor(self.round().to_minor().unwrap_or(i64::MAX), self.currency, locale)
    }
}

/// An amount in minor units (kopecks) as [`Money::format`] shows it. Integer arithmetic only: the
/// catalog's prices are formatted in the browser without linking decimal arithmetic into its wasm.
pub fn format_minor(minor: i64, currency: Currency, locale: Locale) -> String {
    let sign = if minor < 0 { "−" } else { "" };
    let units = (minor / 100).unsigned_abs();
    let kopecks = (minor % 100).unsigned_abs();
    let grouped = locale.format_integer(units as i64);
    let symbol = currency.symbol();
    match locale {
        Locale::Ru => format!("{sign}{grouped},{kopecks:02}\u{a0}{symbol}"),
        Locale::En => format!("{sign}{symbol}{grouped}.{kopecks:02}"),
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency.code())
    }
}

/// Units a product is sold in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Штука.
    Pcs,
    /// Метр (трубы, кабель).
    M,
    /// Килограмм.
    Kg,
    /// Комплект.
    Set,
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pcs => "pcs",
            Self::M => "m",
            Self::Kg => "kg",
            Self::Set => "set",
        }
    }

    /// Whether a fraction of the unit can be sold (metres of pipe can, pumps cannot).
    pub fn fractional(self) -> bool {
        matches!(self, Self::M | Self::Kg)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum QuantityError {
    #[error("quantity is not a number")]
    Malformed,
    #[error("quantity must be greater than zero")]
    NotPositive,
    #[error("this unit is sold whole")]
    FractionNotAllowed,
    #[error("at most three digits after the point")]
    TooPrecise,
    #[error("quantity is too large")]
    TooLarge,
}

impl ErrorCode for QuantityError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed => "quantity.malformed",
            Self::NotPositive => "quantity.not_positive",
            Self::FractionNotAllowed => "quantity.fraction_not_allowed",
            Self::TooPrecise => "quantity.too_precise",
            Self::TooLarge => "quantity.too_large",
        }
    }
}

/// A positive quantity in thousandths of its unit (how it is stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quantity {
    thousandths: i64,
    unit: Unit,
}

impl Quantity {
    /// The one cap on a quantity everywhere (forms, files, carts, merges, orders): a million
    /// units, so a price × quantity always fits the arithmetic of a document.
    pub const MAX_THOUSANDTHS: i64 = 1_000_000_000;
    /// One piece.
    pub const ONE: Quantity = Quantity { thousandths: 1000, unit: Unit::Pcs };

    pub fn from_thousandths(thousandths: i64, unit: Unit) -> Result<Self, QuantityError> {
        if thousandths <= 0 {
            return Err(QuantityError::NotPositive);
        }
        if thousandths > Self::MAX_THOUSANDTHS {
            return Err(QuantityError::TooLarge);
        }
        if !unit.fractional() && thousandths % 1000 != 0 {
            return Err(QuantityError::FractionNotAllowed);
        }
        Ok(Self { thousandths, unit })
    }

    pub fn whole(count: i64, unit: Unit) -> Result<Self, QuantityError> {
        Self::from_thousandths(count.checked_mul(1000).ok_or(QuantityError::TooLarge)?, unit)
    }

    /// Parses `3`, `12,5` or `0.75` for the unit.
    pub fn parse(input: &str, unit: Unit) -> Result<Self, QuantityError> {
        let cleaned = input.trim().replace(',', ".");
        let value: Decimal = cleaned.parse().map_err(|_| QuantityError::Malformed)?;
        let scaled = value * Decimal::from(1000);
        if scaled.fract() != Decimal::ZERO {
            return Err(QuantityError::TooPrecise);
        }
        let thousandths = i64::try_from(scaled).map_err(|_| QuantityError::TooLarge)?;
        Self::from_thousandths(thousandths, unit)
    }

    pub fn thousandths(&self) -> i64 {
        self.thousandths
    }

    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// A stored quantity made valid for its unit: within 1 … [`Self::MAX_THOUSANDTHS`], whole
    /// units for pieces (rounded down, at least one).
    pub fn clamped(thousandths: i64, unit: Unit) -> Self {
        let mut t = thousandths.clamp(1, Self::MAX_THOUSANDTHS);
        if !unit.fractional() {
            t = (t / 1000).max(1) * 1000;
        }
        Self { thousandths: t, unit }
    }

    pub fn as_decimal(&self) -> Decimal {
        Decimal::new(self.thousandths, 3).normalize()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PercentError {
    #[error("percentage is not a number")]
    Malformed,
    #[error("percentage must be from 0 to 100")]
    OutOfRange,
}

impl ErrorCode for PercentError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed => "percent.malformed",
            Self::OutOfRange => "percent.out_of_range",
        }
    }
}

/// A percentage from 0 to 100 inclusive, e.g. a discount rate (ставка скидки).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Percent(Decimal);

impl Percent {
    pub const ZERO: Percent = Percent(Decimal::ZERO);
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    pub fn new(value: Decimal) -> Result<Self, PercentError> {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            return Err(PercentError::OutOfRange);
        }
        Ok(Self(value))
    }

    /// From hundredths of a percent (basis points, how rates are stored): 550 → 5,5 %.
    pub fn from_basis_points(bp: i64) -> Result<Self, PercentError> {
        Self::new(Decimal::new(bp, 2))
    }

    /// Hundredths of a percent, rounded: 5,5 % → 550.
    pub fn basis_points(&self) -> i64 {
        i64::try_from((self.0 * Decimal::ONE_HUNDRED).round()).unwrap_or(0)
    }

    pub fn parse(input: &str) -> Result<Self, PercentError> {
        let cleaned = input.trim().trim_end_matches('%').trim().replace(',', ".");
        Self::new(cleaned.parse().map_err(|_| PercentError::Malformed)?)
    }

    pub fn value(&self) -> Decimal {
        self.0
    }

    /// The share as a fraction: 5 % → 0.05.
    pub fn fraction(&self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    both! {
        fn minor_units_round_trip_exactly() {
            let m = Money::from_minor(123_456, Currency::Rub);
            assert_eq!(m.amount(), d("1234.56"));
            assert_eq!(m.to_minor(), Ok(123_456));
            assert_eq!(Money::rub(d("0.005")).to_minor(), Err(MoneyError::NotWholeMinorUnits));
            assert_eq!(Money::rub(d("0.005")).round().to_minor(), Ok(1));
            assert_eq!(Money::rub(d("-0.005")).round().to_minor(), Ok(-1));
            assert_eq!(Money::rub(d("0.0049")).round().to_minor(), Ok(0));
            assert_eq!(Money::rub(d("1e20")).to_minor(), Err(MoneyError::Overflow));
        }
    }

    both! {
        fn formatting_by_locale() {
            let m = Money::from_minor(123_456, Currency::Rub);
            assert_eq!(m.format(Locale::Ru), "1\u{a0}234,56\u{a0}₽");
            assert_eq!(m.format(Locale::En), "₽1,234.56");
            assert_eq!(Money::from_minor(-5, Currency::Rub).format(Locale::Ru), "−0,05\u{a0}₽");
            assert_eq!(Money::zero(Currency::Rub).format(Locale::En), "₽0.00");
            // The browser's integer formatting reads the same as the decimal one.
            for minor in [0, 5, -5, 99, 100, -100, 123_456, -123_456_789, i64::MAX, i64::MIN + 1] {
                for locale in [Locale::Ru, Locale::En] {
                    let decimal = Money::from_minor(minor, Currency::Rub).format(locale);
                    assert_eq!(format_minor(minor, Currency::Rub, locale), decimal, "{minor}");
                }
            }
        }
    }

    both! {
        fn parsing_money_as_typed() {
            assert_eq!(Money::parse("1 234,5", Currency::Rub).unwrap().to_minor(), Ok(123_450));
            assert_eq!(Money::parse("12.345", Currency::Rub), Err(MoneyError::NotWholeMinorUnits));
            assert_eq!(Money::parse("abc", Currency::Rub), Err(MoneyError::Malformed));
            assert_eq!(
                Money::from_minor(1, Currency::Rub).checked_add(Money::from_minor(2, Currency::Rub)).unwrap().to_minor(),
                Ok(3)
            );
        }
    }

    both! {
        fn quantities_follow_their_unit() {
            assert_eq!(Quantity::parse("12,5", Unit::M).unwrap().thousandths(), 12_500);
            assert_eq!(Quantity::parse("1.5", Unit::Pcs), Err(QuantityError::FractionNotAllowed));
            assert_eq!(Quantity::parse("2", Unit::Pcs).unwrap().thousandths(), 2000);
            assert_eq!(Quantity::parse("0.0001", Unit::Kg), Err(QuantityError::TooPrecise));
            assert_eq!(Quantity::parse("0", Unit::Kg), Err(QuantityError::NotPositive));
            assert_eq!(Quantity::parse("-1", Unit::Set), Err(QuantityError::NotPositive));
            assert_eq!(Quantity::parse("x", Unit::Set), Err(QuantityError::Malformed));
            assert_eq!(Quantity::parse("0,75", Unit::M).unwrap().as_decimal(), d("0.75"));
        }
    }

    both! {
        fn percentages_stay_between_0_and_100() {
            assert_eq!(Percent::parse("5 %").unwrap().fraction(), d("0.05"));
            assert_eq!(Percent::parse("100").unwrap(), Percent::HUNDRED);
            assert_eq!(Percent::parse("100,01"), Err(PercentError::OutOfRange));
            assert_eq!(Percent::parse("-1"), Err(PercentError::OutOfRange));
            assert_eq!(Percent::parse("пять"), Err(PercentError::Malformed));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn minor_units_survive_the_trip(minor in -1_000_000_000_000i64..1_000_000_000_000) {
                let m = Money::from_minor(minor, Currency::Rub);
                prop_assert_eq!(m.to_minor(), Ok(minor));
                prop_assert_eq!(m.round(), m);
            }

            #[test]
            fn rounding_moves_less_than_half_a_kopeck(units in -1_000_000i64..1_000_000, milli in 0i64..1000) {
                let exact = rust_decimal::Decimal::new(units * 1000 + milli, 5);
                let rounded = Money::rub(exact).round();
                prop_assert!((rounded.amount() - exact).abs() <= rust_decimal::Decimal::new(5, 3));
            }
        }
    }
}
