//! The interface language and how numbers and dates are written in it.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ru,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ru, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// Accepts `ru`, `en` and longer tags such as `en-GB`; anything else is `None`.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// Picks the best language from an HTTP `Accept-Language` header, Russian when none fits.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(Self, u32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u32)
                .unwrap_or(1000);
            if let Some(l) = Self::parse(tag)
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((l, q));
            }
        }
        best.map(|(l, _)| l).unwrap_or_default()
    }

    /// Groups thousands: `1 234 567` (Russian, non-breaking space) or `1,234,567`.
    pub fn format_integer(self, n: i64) -> String {
        let sep = match self {
            Self::Ru => '\u{a0}',
            Self::En => ',',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// `22.11.2026` or `Nov 22, 2026`.
    pub fn format_date(self, d: NaiveDate) -> String {
        match self {
            Self::Ru => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
            Self::En => {
                const MONTHS: [&str; 12] =
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                format!("{} {}, {}", MONTHS[d.month0() as usize], d.day(), d.year())
            }
        }
    }

    /// Date and time in the given UTC offset: `22.11.2026 14:05` or `Nov 22, 2026 14:05`.
    pub fn format_datetime(self, t: DateTime<Utc>, offset: FixedOffset) -> String {
        let local = t.with_timezone(&offset);
        format!("{} {:02}:{:02}", self.format_date(local.date_naive()), local.hour(), local.minute())
    }
}

/// Moscow time, the default for people and documents until a user chooses otherwise.
pub fn moscow() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("+03:00 is a valid offset")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;
    use chrono::TimeZone;

    both! {
        fn numbers_and_dates() {
            assert_eq!(Locale::Ru.format_integer(1_234_567), "1\u{a0}234\u{a0}567");
            assert_eq!(Locale::En.format_integer(-1_234), "-1,234");
            assert_eq!(Locale::En.format_integer(999), "999");
            let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
            assert_eq!(Locale::Ru.format_date(d), "22.11.2026");
            assert_eq!(Locale::En.format_date(d), "Nov 22, 2026");
            let t = Utc.with_ymd_and_hms(2026, 11, 22, 21, 30, 0).unwrap();
            assert_eq!(Locale::Ru.format_datetime(t, moscow()), "23.11.2026 00:30");
        }
    }

    both! {
        fn language_negotiation() {
            assert_eq!(Locale::from_accept_language("en-US,en;q=0.9,ru;q=0.8"), Locale::En);
            assert_eq!(Locale::from_accept_language("de-DE,ru;q=0.5,en;q=0.4"), Locale::Ru);
            assert_eq!(Locale::from_accept_language("fr"), Locale::Ru);
            assert_eq!(Locale::from_accept_language(""), Locale::Ru);
            assert_eq!(Locale::parse("EN_gb"), Some(Locale::En));
        }
    }
}
