//! Cart area, wire types: the cart with the server's pricing of it, and what a quick order did.

use domain::credit::CreditCheck;
use domain::pricing::DiscountSource;
use domain::quick_order::RejectedLine;
use domain::{Unit, VatRate};
use serde::{Deserialize, Serialize};

use super::catalog::{StockAt, Viewer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: Unit,
    pub quantity: i64,
    pub list_price: i64,
    pub vat: VatRate,
    pub stock: i64,
}

/// The lines of a cart as the domain prices them (in the browser and on the server alike).
pub fn line_inputs(lines: &[CartLine]) -> Vec<domain::pricing::LineInput> {
    lines
        .iter()
        .map(|l| domain::pricing::LineInput {
            unit_price: l.list_price,
            quantity: domain::Quantity::clamped(l.quantity, l.unit),
            vat: l.vat,
            manual_discount: domain::Percent::ZERO,
        })
        .collect()
}

/// A quantity as a person types it back into a field: 12500 → `12,5`.
pub fn quantity_input(thousandths: i64) -> String {
    let (whole, frac) = (thousandths / 1000, thousandths % 1000);
    if frac == 0 { whole.to_string() } else { format!("{whole},{}", format!("{frac:03}").trim_end_matches('0')) }
}

/// The cart with the server's own pricing of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    pub viewer: Viewer,
    pub pickup_points: Vec<StockAt>,
    /// The server's totals for an online order (kopecks): what checkout will charge.
    pub gross: i64,
    pub discount: i64,
    pub total: i64,
    pub vat: i64,
    pub sources: Vec<DiscountSource>,
    /// Buyers on credit: how this cart's total stands against their limit and debts.
    pub credit: Option<CreditCheck>,
    /// Whether online payment is offered (a payment provider is configured).
    pub online_payment: bool,
}

/// A cart in brief, as adding to it from the catalog answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartSummary {
    /// Lines in the cart.
    pub lines: u32,
    /// What checkout will charge for an online order, kopecks.
    pub total: i64,
}

impl CartSummary {
    pub fn of(cart: &Cart) -> Self {
        Self { lines: u32::try_from(cart.lines.len()).unwrap_or(u32::MAX), total: cart.total }
    }
}

/// What a quick order did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuickOrderResult {
    /// Lines put into the cart: (article, name, quantity in thousandths).
    pub added: Vec<(String, String, i64)>,
    pub rejected: Vec<RejectedLine>,
}
