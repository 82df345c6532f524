//! Pieces shared by every area's pages: the cabinet frame with its navigation, form fields, the
//! language switch, money and quantity formatting, the hydration mark.

pub mod form;
pub mod format;
pub mod island;
pub mod language;
pub mod layout;

pub use form::{ErrorText, Field};
pub use language::LanguageSwitch;
pub use layout::{Cabinet, GuestFrame, Icon, Section, Storefront, sections};
