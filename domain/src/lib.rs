//! Kabinet's business rules, shared by the browser (compiled to wasm32) and the server.
//!
//! Nothing here does IO: every function is a pure computation over values, so the same answer is
//! produced on both sides. Russian business terms are named once, where their type is defined.

/// An enum of domain values, each with the stable code it has in forms, addresses and the
/// database (`code`/`parse`/`ALL`), serialised in snake_case.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $code:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant,)* }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The code in forms, addresses and the database.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

pub mod allocation;
pub mod credit;
pub mod invoicing;
pub mod locale;
pub mod login;
pub mod money;
pub mod notifications;
pub mod ordering;
pub mod password;
pub mod payments;
pub mod person;
pub mod pricing;
pub mod quick_order;
pub mod refund;
pub mod requisites;
pub mod role;
pub mod search;
pub mod status;
pub mod throttle;
pub mod words;

pub use allocation::{AllocationError, VatRate, allocate};
pub use locale::Locale;
pub use login::{Email, EmailError, LoginId, LoginIdError, Phone, PhoneError};
pub use money::{Currency, Money, MoneyError, Percent, PercentError, Quantity, QuantityError, Unit};
pub use password::{Password, PasswordError};
pub use person::{PersonName, PersonNameError};
pub use requisites::{Bik, Inn, Kpp, Ogrn, Ogrnip, RequisiteError, SettlementAccount};
pub use role::{OrgKind, Role, Scope};
pub use status::{Colour, StatusKind, StatusMachine, TransitionError};
pub use throttle::{Throttle, ThrottlePolicy, ThrottleState};

/// Every typed error of the domain has a stable machine-readable code: the UI maps codes to
/// localized messages and machines receive the code itself.
pub trait ErrorCode {
    fn code(&self) -> &'static str;
}

#[cfg(test)]
pub(crate) mod test_support {
    /// Marks a test for both the native test harness and wasm-bindgen-test under Node.
    macro_rules! both {
        ($(#[$m:meta])* fn $name:ident() $body:block) => {
            $(#[$m])*
            #[cfg_attr(not(target_arch = "wasm32"), test)]
            #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
            fn $name() $body
        };
    }
    pub(crate) use both;
}
