//! Rules a new password must satisfy. Hashing happens on the server; this only judges strength.

use std::fmt;
use thiserror::Error;

use crate::ErrorCode;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A password that satisfies the policy. Its `Debug` never prints the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("password must be at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("password must be at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("password is too easy to guess")]
    TooCommon,
}

impl ErrorCode for PasswordError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "password.too_short",
            Self::TooLong => "password.too_long",
            Self::TooCommon => "password.too_common",
        }
    }
}

// The most frequent leaked passwords of at least eight characters, Russian keyboards included.
const COMMON: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "87654321",
    "password",
    "password1",
    "qwerty123",
    "qwertyui",
    "qwertyuiop",
    "iloveyou",
    "11111111",
    "00000000",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "zaq12wsx",
    "йцукенгш",
    "пароль123",
    "parol123",
    "abcd1234",
    "abc12345",
    "asdfghjk",
    "123qweasd",
    "qweasdzxc",
];

impl Password {
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        let lower = input.to_lowercase();
        let mut distinct: Vec<char> = lower.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() <= 2 || COMMON.contains(&lower.as_str()) {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn policy() {
            assert_eq!(Password::parse("short1"), Err(PasswordError::TooShort));
            assert_eq!(Password::parse(&"x1".repeat(65)), Err(PasswordError::TooLong));
            assert_eq!(Password::parse("QWERTY123"), Err(PasswordError::TooCommon));
            assert_eq!(Password::parse("aaaaaaaaab"), Err(PasswordError::TooCommon));
            assert!(Password::parse("demo-password").is_ok());
            assert!(Password::parse("котел-газовый").is_ok());
            assert_eq!(format!("{:?}", Password::parse("demo-password").unwrap()), "Password(***)");
        }
    }

    both! {
        fn length_counts_characters_not_bytes() {
            // Eight Cyrillic letters are sixteen bytes but eight characters.
            assert!(Password::parse("ёлкапалк").is_ok());
            assert_eq!(Password::parse("ёлкапал"), Err(PasswordError::TooShort));
        }
    }
}
