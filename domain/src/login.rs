//! Sign-in identifiers: e-mail addresses and phone numbers (normalised to E.164).

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

use crate::ErrorCode;

/// A phone number in E.164 form, e.g. `+79123456789`.
///
/// Russian numbers are accepted the way people type them: `+7 (912) 345-67-89`, `8 912 345 67 89`,
/// `89123456789`, `9123456789`. Other countries need a leading `+`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("phone number is empty")]
    Empty,
    #[error("phone number contains characters other than digits, spaces, brackets and dashes")]
    InvalidCharacters,
    #[error("phone number has the wrong number of digits")]
    WrongLength,
    #[error("phone number has an impossible area code")]
    InvalidAreaCode,
}

impl ErrorCode for PhoneError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "phone.empty",
            Self::InvalidCharacters => "phone.invalid_characters",
            Self::WrongLength => "phone.wrong_length",
            Self::InvalidAreaCode => "phone.invalid_area_code",
        }
    }
}

impl Phone {
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(15);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '\u{a0}' | '(' | ')' | '-' | '.' => {}
                _ => return Err(PhoneError::InvalidCharacters),
            }
        }
        let national = match (plus, digits.len(), digits.as_bytes().first()) {
            (true, 11, Some(b'7')) => digits[1..].to_string(),
            (true, _, Some(b'7')) => return Err(PhoneError::WrongLength),
            (true, 8..=15, Some(b'1'..=b'9')) => return Ok(Self(format!("+{digits}"))),
            (true, _, Some(b'0')) => return Err(PhoneError::InvalidAreaCode),
            (true, _, _) => return Err(PhoneError::WrongLength),
            (false, 11, Some(b'7' | b'8')) => digits[1..].to_string(),
            (false, 10, _) => digits,
            (false, _, _) => return Err(PhoneError::WrongLength),
        };
        // Numbering plan of +7: area codes start with 3, 4, 7 (Kazakhstan), 8 or 9.
        if !matches!(national.as_bytes()[0], b'3' | b'4' | b'7' | b'8' | b'9') {
            return Err(PhoneError::InvalidAreaCode);
        }
        Ok(Self(format!("+7{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+7 912 345-67-89` for Russian numbers, E.164 otherwise.
    pub fn display(&self) -> String {
        let s = &self.0;
        if s.len() == 12 && s.starts_with("+7") {
            format!("+7 {} {}-{}-{}", &s[2..5], &s[5..8], &s[8..10], &s[10..12])
        } else {
            s.clone()
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address, lower-cased so that one address always finds one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("e-mail is empty")]
    Empty,
    #[error("e-mail is too long")]
    TooLong,
    #[error("e-mail is not of the form name@domain.tld")]
    Malformed,
}

impl ErrorCode for EmailError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "email.empty",
            Self::TooLong => "email.too_long",
            Self::Malformed => "email.malformed",
        }
    }
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
        if !(local_ok && domain_ok) {
            return Err(EmailError::Malformed);
        }
        Ok(Self(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a person types into the sign-in form: an e-mail or a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginId {
    Email(Email),
    Phone(Phone),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum LoginIdError {
    #[error("enter an e-mail or a phone number")]
    Empty,
    #[error(transparent)]
    Email(EmailError),
    #[error(transparent)]
    Phone(PhoneError),
}

impl ErrorCode for LoginIdError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "login.empty",
            Self::Email(e) => e.code(),
            Self::Phone(e) => e.code(),
        }
    }
}

impl LoginId {
    pub fn parse(input: &str) -> Result<Self, LoginIdError> {
        let s = input.trim();
        if s.is_empty() {
            Err(LoginIdError::Empty)
        } else if s.contains('@') {
            Email::parse(s).map(Self::Email).map_err(LoginIdError::Email)
        } else {
            Phone::parse(s).map(Self::Phone).map_err(LoginIdError::Phone)
        }
    }

    /// The normalised form used to look the account up and to key throttling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Email(e) => e.as_str(),
            Self::Phone(p) => p.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn russian_phones_in_every_usual_spelling() {
            for input in [
                "+7 (912) 345-67-89",
                "8 912 345 67 89",
                "89123456789",
                "79123456789",
                "9123456789",
                " +7-912-345-67-89 ",
                "8(912)345.67.89",
            ] {
                assert_eq!(Phone::parse(input).map(|p| p.0), Ok("+79123456789".to_string()), "{input}");
            }
        }
    }

    both! {
        fn bad_phones_are_refused_with_a_reason() {
            assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
            assert_eq!(Phone::parse("+7 912 345 67 8"), Err(PhoneError::WrongLength));
            assert_eq!(Phone::parse("8 912 345 67 899"), Err(PhoneError::WrongLength));
            assert_eq!(Phone::parse("912-ABC-6789"), Err(PhoneError::InvalidCharacters));
            assert_eq!(Phone::parse("+7 012 345 67 89"), Err(PhoneError::InvalidAreaCode));
            assert_eq!(Phone::parse("12345"), Err(PhoneError::WrongLength));
            assert_eq!(Phone::parse("+0 123 456 789"), Err(PhoneError::InvalidAreaCode));
        }
    }

    both! {
        fn foreign_numbers_need_a_plus() {
            assert_eq!(Phone::parse("+375 29 123-45-67").map(|p| p.0), Ok("+375291234567".into()));
            assert_eq!(Phone::parse("375291234567"), Err(PhoneError::WrongLength));
        }
    }

    both! {
        fn phone_display_groups_digits() {
            assert_eq!(Phone::parse("89123456789").unwrap().display(), "+7 912 345-67-89");
        }
    }

    both! {
        fn emails() {
            assert_eq!(Email::parse(" Retail@Demo.Test ").map(|e| e.0), Ok("retail@demo.test".into()));
            assert_eq!(Email::parse("иван@почта.рф").map(|e| e.0), Err(EmailError::Malformed));
            assert_eq!(Email::parse("ivan@почта.рф").map(|e| e.0), Ok("ivan@почта.рф".into()));
            for bad in ["a@b", "@demo.test", "a@@demo.test", "a b@demo.test", "a@-x.ru", "a..b@x.ru", "a@x.123"] {
                assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
            }
            assert_eq!(Email::parse(""), Err(EmailError::Empty));
        }
    }

    both! {
        fn login_id_picks_the_kind_by_at_sign() {
            assert!(matches!(LoginId::parse("retail@demo.test"), Ok(LoginId::Email(_))));
            assert!(matches!(LoginId::parse("+7 912 345 67 89"), Ok(LoginId::Phone(_))));
            assert_eq!(LoginId::parse("   "), Err(LoginIdError::Empty));
            assert_eq!(LoginId::parse("x@y").unwrap_err().code(), "email.malformed");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn every_ten_digit_mobile_normalises_the_same_in_all_spellings(n in 9_000_000_000u64..9_999_999_999) {
                let d = n.to_string();
                let expected = format!("+7{d}");
                let spaced = format!("8 ({}) {}-{}-{}", &d[0..3], &d[3..6], &d[6..8], &d[8..10]);
                prop_assert_eq!(Phone::parse(&d).unwrap().0, expected.clone());
                prop_assert_eq!(Phone::parse(&format!("+7{d}")).unwrap().0, expected.clone());
                prop_assert_eq!(Phone::parse(&spaced).unwrap().0, expected);
            }

            #[test]
            fn parsing_never_panics(s in "\\PC{0,40}") {
                let _ = LoginId::parse(&s);
            }
        }
    }
}
