//! Invoicing area, wire types: the invoices (счета) issued for an order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub number: String,
    pub issued_on: NaiveDate,
    pub amount: i64,
    pub paid: i64,
}
