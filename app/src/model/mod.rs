//! Values that travel between the browser and the server (wire types), one module per business
//! area; everything is re-exported here so pages and server functions name `crate::model::X`.

pub mod cart;
pub mod catalog;
pub mod crm;
pub mod identity;
pub mod invoicing;
pub mod notifications;
pub mod ordering;
pub mod payments;
pub mod url;

pub use cart::*;
pub use catalog::*;
pub use crm::*;
pub use identity::*;
pub use invoicing::*;
pub use notifications::*;
pub use ordering::*;
pub use payments::*;
