//! A person's name as shown to staff and printed on documents.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PersonNameError {
    #[error("name is empty")]
    Empty,
    #[error("name is too long")]
    TooLong,
    #[error("name may contain letters, spaces, hyphens, apostrophes and dots only")]
    InvalidCharacters,
}

impl ErrorCode for PersonNameError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "name.empty",
            Self::TooLong => "name.too_long",
            Self::InvalidCharacters => "name.invalid_characters",
        }
    }
}

impl PersonName {
    /// Trims and collapses inner white space; requires at least one letter.
    pub fn parse(input: &str) -> Result<Self, PersonNameError> {
        let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if collapsed.chars().count() > 100 {
            return Err(PersonNameError::TooLong);
        }
        let allowed = collapsed.chars().all(|c| c.is_alphabetic() || " -'’.".contains(c));
        if !allowed || !collapsed.chars().any(char::is_alphabetic) {
            return Err(PersonNameError::InvalidCharacters);
        }
        Ok(Self(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn names() {
            assert_eq!(PersonName::parse("  Анна   Петрова-Водкина ").unwrap().as_str(), "Анна Петрова-Водкина");
            assert_eq!(PersonName::parse("O’Neil J.").unwrap().as_str(), "O’Neil J.");
            assert_eq!(PersonName::parse("   "), Err(PersonNameError::Empty));
            assert_eq!(PersonName::parse("<script>"), Err(PersonNameError::InvalidCharacters));
            assert_eq!(PersonName::parse("--"), Err(PersonNameError::InvalidCharacters));
            assert_eq!(PersonName::parse(&"я".repeat(101)), Err(PersonNameError::TooLong));
        }
    }
}
