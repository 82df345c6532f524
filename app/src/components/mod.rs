//! Pieces shared by pages: the cabinet frame with its navigation, form fields, language switch.

pub mod form;
pub mod island;
pub mod language;
pub mod layout;

pub use form::{ErrorText, Field};
pub use language::LanguageSwitch;
pub mod shop;

pub use layout::{Cabinet, GuestFrame, Icon, Section, Storefront, sections};
