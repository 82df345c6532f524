//! Invoicing area, storage port: open invoices (for the credit check), the parties' requisites,
//! bank payments recorded against invoices and the payment checks of orders waiting for one.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::credit::OpenInvoice;
use domain::invoicing::{BankPayment, Reminder};
use domain::{Bik, Inn, Kpp, SettlementAccount};

use super::{Actor, Reach, StoreResult};
use crate::model::{PaymentCheck, PaymentTask};

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

    /// Records a bank payment against the order's invoice in one transaction: the invoice's paid
    /// sum, the order's payment status once paid in full, its payment check closed, the timeline and
    /// a "payment received" event. `Conflict("amount")` when more than is left would be paid (the
    /// invoice changed meanwhile), `Conflict("invoice")` when the invoice is void, `NotFound` when
    /// the order has no invoice.
    async fn record_bank_payment(&self, payment: &NewBankPayment, actor: &Actor) -> StoreResult<BankPaymentOutcome>;

    /// Unpaid invoices of orders that may call for a reminder (not void, not waiting for a payment
    /// check, not yet reminded as overdue), oldest first, at most `limit`.
    async fn invoices_to_remind(&self, limit: i64) -> StoreResult<Vec<UnpaidInvoice>>;

    /// Records that the reminder was sent and, if it had not been, the event that notifies the
    /// buyer (and, when overdue, the manager); answers whether it was new.
    async fn remind(
        &self,
        invoice: &UnpaidInvoice,
        reminder: Reminder,
        due: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// The payment checks of orders within reach: open ones by due date, or (`open == false`) the
    /// latest closed ones.
    async fn payment_checks(&self, reach: &Reach, open: bool, limit: i64) -> StoreResult<Vec<PaymentCheck>>;

    /// Replaces the order's invoices by one per instalment, in one transaction with the timeline
    /// entry and the audit record. `Conflict("paid")` when something was paid against them or they
    /// are void meanwhile, `Conflict("total")` when the order's total is not what the schedule
    /// adds up to, `NotFound` when the order has no invoice.
    async fn set_schedule(&self, schedule: &NewSchedule, actor: &Actor) -> StoreResult<()>;

    /// The managers' payment tasks within reach (the client's organisation): open ones by due day,
    /// or (`open == false`) the latest closed ones.
    async fn payment_tasks(&self, reach: &Reach, open: bool, limit: i64) -> StoreResult<Vec<PaymentTask>>;

    /// Closes an open task within reach as done, with the note of what was agreed. `NotFound`
    /// outside reach, `Conflict("closed")` when it was closed meanwhile.
    async fn close_payment_task(
        &self,
        id: i64,
        reach: &Reach,
        note: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

/// A payment schedule, checked, to replace an order's invoices.
#[derive(Debug, Clone)]
pub struct NewSchedule {
    pub order_id: i64,
    /// The order's total the instalments add up to (the store checks it again).
    pub total: i64,
    /// The invoices' number before the instalment's place (`2026-000123` → `2026-000123-1`).
    pub base_number: String,
    pub issued_on: NaiveDate,
    pub instalments: Vec<domain::credit::Instalment>,
    pub now: DateTime<Utc>,
}

/// An unpaid invoice of an order, with what the reminders need.
#[derive(Debug, Clone)]
pub struct UnpaidInvoice {
    pub id: i64,
    pub order_id: i64,
    pub number: String,
    pub issued_on: NaiveDate,
    /// The due day a payment schedule set (else the deferral decides).
    pub due_on: Option<NaiveDate>,
    pub outstanding: i64,
    /// The client's deferral (days from the invoice to its due day).
    pub deferral_days: u32,
    pub sent: Vec<Reminder>,
}

/// A payment from a bank statement, checked, to record against an order's invoice.
#[derive(Debug, Clone)]
pub struct NewBankPayment {
    pub order_id: i64,
    /// The number of the order's invoice it pays.
    pub invoice: String,
    pub payment: BankPayment,
    pub recorded_by: i64,
    pub now: DateTime<Utc>,
}

/// What recording a bank payment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankPaymentOutcome {
    /// Recorded; `settled` when the invoice is now paid in full (the order is paid, its payment
    /// check closed).
    Recorded { settled: bool },
    /// This document was already recorded for the invoice: nothing changed.
    Duplicate,
}
