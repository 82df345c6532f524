//! Money, units and quantities as people read them, in the interface language.

use domain::money::format_minor;
use domain::{Currency, Locale, Unit};

/// Kopecks in the locale's format: `1 234,56 ₽` (integer arithmetic: the catalog's wasm carries no
/// decimal arithmetic for its prices).
pub fn money(locale: Locale, kopecks: i64) -> String {
    format_minor(kopecks, Currency::Rub, locale)
}

pub fn unit_label(locale: Locale, unit: Unit) -> &'static str {
    match (unit, locale) {
        (Unit::Pcs, Locale::Ru) => "шт",
        (Unit::M, Locale::Ru) => "м",
        (Unit::Kg, Locale::Ru) => "кг",
        (Unit::Set, Locale::Ru) => "компл",
        (Unit::Pcs, Locale::En) => "pcs",
        (Unit::M, Locale::En) => "m",
        (Unit::Kg, Locale::En) => "kg",
        (Unit::Set, Locale::En) => "sets",
    }
}

/// Thousandths of a unit as people write it: `12,5 м`, `3 шт`.
pub fn quantity(locale: Locale, thousandths: i64, unit: Unit) -> String {
    let whole = thousandths / 1000;
    let frac = (thousandths % 1000).abs();
    let number = if frac == 0 {
        locale.format_integer(whole)
    } else {
        let digits = format!("{frac:03}");
        let sep = if locale == Locale::Ru { ',' } else { '.' };
        format!("{}{sep}{}", locale.format_integer(whole), digits.trim_end_matches('0'))
    };
    format!("{number} {}", unit_label(locale, unit))
}
