//! Invoicing area, storage port: open invoices (for the credit check) and the parties' requisites.

use async_trait::async_trait;
use domain::credit::OpenInvoice;

use super::StoreResult;

#[derive(Debug, Clone, Default)]
pub struct Requisites {
    pub name: String,
    pub inn: Option<String>,
    pub kpp: Option<String>,
    pub address: Option<String>,
    pub bank_name: Option<String>,
    pub bik: Option<String>,
    pub settlement_account: Option<String>,
    pub correspondent_account: Option<String>,
}

#[async_trait]
pub trait InvoiceStore: Send + Sync + 'static {
    async fn open_invoices(&self, organisation_id: i64) -> StoreResult<Vec<OpenInvoice>>;

    /// The seller's own requisites and the buyer's, for invoices: (seller, buyer).
    async fn invoice_parties(&self, organisation_id: i64) -> StoreResult<(Requisites, Requisites)>;
}
