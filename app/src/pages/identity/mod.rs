//! Identity area: sign-in, registration, choosing a password by a one-time link, the profile
//! (contacts, password, devices) and user administration.

mod admin_users;
mod login;
mod profile;
mod register;
mod set_password;

pub use admin_users::AdminUsersPage;
pub use login::LoginPage;
pub use profile::ProfilePage;
pub use register::RegisterPage;
pub(crate) use register::{CodeSentNotice, SendCodeButton, send_code};
pub use set_password::SetPasswordPage;
