//! Invoicing area, storage port: open invoices (for the credit check) and the parties' requisites.

use async_trait::async_trait;
use domain::credit::OpenInvoice;
use domain::{Bik, Inn, Kpp, SettlementAccount};

use super::StoreResult;

/// An organisation's requisites (реквизиты) as printed on documents; each one valid by its type.
#[derive(Debug, Clone, Default)]
pub struct Requisites {
    pub name: String,
    pub inn: Option<Inn>,
    pub kpp: Option<Kpp>,
    pub address: Option<String>,
    pub bank_name: Option<String>,
    pub bik: Option<Bik>,
    /// Расчётный счёт, checked against the bank's BIK.
    pub settlement_account: Option<SettlementAccount>,
    /// Корреспондентский счёт of the bank.
    pub correspondent_account: Option<SettlementAccount>,
}

#[async_trait]
pub trait InvoiceStore: Send + Sync + 'static {
    async fn open_invoices(&self, organisation_id: i64) -> StoreResult<Vec<OpenInvoice>>;

    /// The seller's own requisites and the buyer's, for invoices: (seller, buyer).
    async fn invoice_parties(&self, organisation_id: i64) -> StoreResult<(Requisites, Requisites)>;
}
