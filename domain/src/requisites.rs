//! Russian business identifiers (реквизиты), each parsed once and valid from then on:
//! ИНН → [`Inn`], КПП → [`Kpp`], ОГРН → [`Ogrn`], ОГРНИП → [`Ogrnip`], БИК → [`Bik`],
//! расчётный счёт → [`SettlementAccount`] (its control key is computed with the bank's BIK).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RequisiteError {
    #[error("only digits are allowed")]
    NotDigits,
    #[error("wrong number of digits")]
    WrongLength,
    #[error("the check digit does not match: a digit is mistyped")]
    BadCheckDigit,
    #[error("wrong format")]
    Malformed,
}

fn digits(input: &str, lengths: &[usize]) -> Result<Vec<u32>, RequisiteError> {
    let s = input.trim();
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(if s.is_empty() { RequisiteError::WrongLength } else { RequisiteError::NotDigits });
    }
    if !lengths.contains(&s.len()) {
        return Err(RequisiteError::WrongLength);
    }
    Ok(s.bytes().map(|b| u32::from(b - b'0')).collect())
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum::<u32>() % 11 % 10
}

fn joined(d: &[u32]) -> String {
    d.iter().map(|x| char::from_digit(*x, 10).unwrap_or('0')).collect()
}

macro_rules! requisite {
    ($(#[$doc:meta])* $name:ident, $code:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The stable code of an error about this identifier, e.g. `inn.bad_check_digit`.
            pub fn error_code(e: RequisiteError) -> &'static str {
                match e {
                    RequisiteError::NotDigits => concat!($code, ".not_digits"),
                    RequisiteError::WrongLength => concat!($code, ".wrong_length"),
                    RequisiteError::BadCheckDigit => concat!($code, ".bad_check_digit"),
                    RequisiteError::Malformed => concat!($code, ".malformed"),
                }
            }
        }
    };
}

requisite!(
    /// ИНН: 10 digits for organisations, 12 for individuals and sole proprietors.
    Inn, "inn"
);
requisite!(
    /// КПП: reason-for-registration code of an organisation, 9 characters.
    Kpp, "kpp"
);
requisite!(
    /// ОГРН: primary state registration number of an organisation, 13 digits.
    Ogrn, "ogrn"
);
requisite!(
    /// ОГРНИП: registration number of a sole proprietor, 15 digits.
    Ogrnip, "ogrnip"
);
requisite!(
    /// БИК: the bank's identification code, 9 digits starting with 04.
    Bik, "bik"
);
requisite!(
    /// Расчётный счёт: 20 digits whose control key depends on the bank's BIK.
    SettlementAccount, "account"
);

impl ErrorCode for RequisiteError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "requisite.not_digits",
            Self::WrongLength => "requisite.wrong_length",
            Self::BadCheckDigit => "requisite.bad_check_digit",
            Self::Malformed => "requisite.malformed",
        }
    }
}

impl Inn {
    pub fn parse(input: &str) -> Result<Self, RequisiteError> {
        let d = digits(input, &[10, 12])?;
        let ok = if d.len() == 10 {
            weighted(&d, &[2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9]
        } else {
            weighted(&d, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10]
                && weighted(&d, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11]
        };
        if !ok {
            return Err(RequisiteError::BadCheckDigit);
        }
        Ok(Self(joined(&d)))
    }

    /// Organisations have 10 digits; individuals and sole proprietors 12.
    pub fn is_organisation(&self) -> bool {
        self.0.len() == 10
    }
}

impl Kpp {
    /// Four digits (tax office), two digits or capital Latin letters (reason), three digits.
    pub fn parse(input: &str) -> Result<Self, RequisiteError> {
        let s = input.trim();
        if s.len() != 9 {
            return Err(RequisiteError::WrongLength);
        }
        let b = s.as_bytes();
        let ok = b[..4].iter().all(u8::is_ascii_digit)
            && b[4..6].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            && b[6..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(RequisiteError::Malformed);
        }
        Ok(Self(s.to_string()))
    }
}

fn remainder_check(d: &[u32], modulus: u64) -> bool {
    let (body, check) = d.split_at(d.len() - 1);
    let number = body.iter().fold(0_u64, |n, x| n * 10 + u64::from(*x));
    (number % modulus % 10) as u32 == check[0]
}

impl Ogrn {
    pub fn parse(input: &str) -> Result<Self, RequisiteError> {
        let d = digits(input, &[13])?;
        if !remainder_check(&d, 11) {
            return Err(RequisiteError::BadCheckDigit);
        }
        Ok(Self(joined(&d)))
    }
}

impl Ogrnip {
    pub fn parse(input: &str) -> Result<Self, RequisiteError> {
        let d = digits(input, &[15])?;
        if !remainder_check(&d, 13) {
            return Err(RequisiteError::BadCheckDigit);
        }
        Ok(Self(joined(&d)))
    }
}

impl Bik {
    pub fn parse(input: &str) -> Result<Self, RequisiteError> {
        let d = digits(input, &[9])?;
        if d[0] != 0 || d[1] != 4 {
            return Err(RequisiteError::Malformed);
        }
        Ok(Self(joined(&d)))
    }
}

/// The control key shared by settlement and correspondent accounts: weights 7, 1, 3 over the
/// 23 digits "three BIK digits + account"; the sum of the last digits of the products ends in 0.
fn account_key_ok(prefix: &str, account: &[u32]) -> bool {
    let digits = prefix.bytes().map(|b| u32::from(b - b'0')).chain(account.iter().copied());
    digits.zip([7, 1, 3].iter().cycle()).map(|(d, w)| d * w % 10).sum::<u32>() % 10 == 0
}

impl SettlementAccount {
    pub fn parse(input: &str, bik: &Bik) -> Result<Self, RequisiteError> {
        let d = digits(input, &[20])?;
        // Accounts in a Bank of Russia cash-settlement centre (BIK ending in 000 or 001) are keyed
        // with "0" and the BIK's 5th–6th digits; those in credit institutions with its last three.
        let b = bik.as_str();
        let prefix =
            if b.ends_with("000") || b.ends_with("001") { format!("0{}", &b[4..6]) } else { b[6..].to_string() };
        if !account_key_ok(&prefix, &d) {
            return Err(RequisiteError::BadCheckDigit);
        }
        Ok(Self(joined(&d)))
    }

    /// A bank's correspondent account (корр. счёт) is keyed with "0" + BIK digits 5–6.
    pub fn parse_correspondent(input: &str, bik: &Bik) -> Result<Self, RequisiteError> {
        let d = digits(input, &[20])?;
        if !account_key_ok(&format!("0{}", &bik.as_str()[4..6]), &d) {
            return Err(RequisiteError::BadCheckDigit);
        }
        Ok(Self(joined(&d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    /// Every single-digit change of a valid number must be caught (or change its length class).
    fn mutations(valid: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in valid.char_indices() {
            for r in '0'..='9' {
                if r != c {
                    let mut s = valid.to_string();
                    s.replace_range(i..i + 1, &r.to_string());
                    out.push(s);
                }
            }
        }
        out
    }

    both! {
        fn inn_of_real_organisations_and_people() {
            for valid in ["7707083893", "7736207543", "5003052454", "500100732259", "773400211252"] {
                assert_eq!(Inn::parse(valid).map(|i| i.0), Ok(valid.to_string()), "{valid}");
            }
            assert!(Inn::parse("7707083893").unwrap().is_organisation());
            assert!(!Inn::parse("500100732259").unwrap().is_organisation());
            assert_eq!(Inn::parse("770708389"), Err(RequisiteError::WrongLength));
            assert_eq!(Inn::parse("77070838 3"), Err(RequisiteError::NotDigits));
            assert_eq!(Inn::error_code(RequisiteError::BadCheckDigit), "inn.bad_check_digit");
        }
    }

    both! {
        fn inn_check_digits_catch_a_mistyped_check_digit() {
            for valid in ["7707083893", "500100732259"] {
                let last = valid.len() - 1;
                for m in mutations(valid).into_iter().filter(|m| m[..last] == valid[..last]) {
                    assert_eq!(Inn::parse(&m), Err(RequisiteError::BadCheckDigit), "{m}");
                }
            }
        }
    }

    both! {
        fn ogrn_and_ogrnip() {
            assert!(Ogrn::parse("1027700132195").is_ok());
            assert!(Ogrn::parse("1027739609391").is_ok());
            assert!(Ogrnip::parse("304500116000157").is_ok());
            assert!(Ogrnip::parse("318774600120321").is_ok());
            assert_eq!(Ogrn::parse("1027700132196"), Err(RequisiteError::BadCheckDigit));
            assert_eq!(Ogrnip::parse("304500116000158"), Err(RequisiteError::BadCheckDigit));
            assert_eq!(Ogrn::parse("304500116000157"), Err(RequisiteError::WrongLength));
            for m in mutations("1027700132195").into_iter().filter(|m| m[..12] == *"102770013219") {
                assert_eq!(Ogrn::parse(&m), Err(RequisiteError::BadCheckDigit), "{m}");
            }
        }
    }

    both! {
        fn kpp_and_bik() {
            assert!(Kpp::parse("773601001").is_ok());
            assert!(Kpp::parse("7736AB001").is_ok());
            assert_eq!(Kpp::parse("7736ab001"), Err(RequisiteError::Malformed));
            assert_eq!(Kpp::parse("77360100"), Err(RequisiteError::WrongLength));
            assert!(Bik::parse("044525225").is_ok());
            assert_eq!(Bik::parse("144525225"), Err(RequisiteError::Malformed));
            assert_eq!(Bik::parse("04452522"), Err(RequisiteError::WrongLength));
        }
    }

    both! {
        fn accounts_are_keyed_with_the_bik() {
            let sber = Bik::parse("044525225").unwrap();
            assert!(SettlementAccount::parse_correspondent("30101810400000000225", &sber).is_ok());
            assert!(SettlementAccount::parse("40702810438000060473", &sber).is_ok());
            // Any single mistyped digit breaks the key.
            for m in mutations("40702810438000060473") {
                assert_eq!(SettlementAccount::parse(&m, &sber), Err(RequisiteError::BadCheckDigit), "{m}");
            }
            // The same account does not fit another bank.
            let other = Bik::parse("044525974").unwrap();
            assert_eq!(SettlementAccount::parse("40702810438000060473", &other), Err(RequisiteError::BadCheckDigit));
        }
    }
}
