//! Invoicing area, the sqlx implementation of `InvoiceStore`: open invoices for the credit check,
//! the parties' requisites for printed invoices.

use app::ports::{InvoiceStore, Requisites, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::NaiveDate;
use domain::credit::OpenInvoice;
use domain::{Bik, Inn, Kpp, SettlementAccount};
use sqlx::AssertSqlSafe;

use super::sql::*;
use super::{SqlStore, on_db};

#[derive(sqlx::FromRow)]
struct PartyRow {
    name: String,
    inn: Option<String>,
    kpp: Option<String>,
    legal_address: Option<String>,
    bank_name: Option<String>,
    bik: Option<String>,
    settlement_account: Option<String>,
    correspondent_account: Option<String>,
}

impl PartyRow {
    /// Typed requisites; a stored one that is not valid is reported, never printed.
    fn requisites(self) -> StoreResult<Requisites> {
        fn typed<T, E>(
            value: Option<String>,
            parse: impl Fn(&str) -> Result<T, E>,
            what: &str,
        ) -> StoreResult<Option<T>> {
            value.map(|v| parse(&v).map_err(|_| corrupt(what, &v))).transpose()
        }
        let bik = typed(self.bik, Bik::parse, "BIK")?;
        let account = |value: Option<String>, correspondent: bool| match (&bik, value) {
            (Some(bik), Some(v)) if correspondent => {
                SettlementAccount::parse_correspondent(&v, bik).map(Some).map_err(|_| corrupt("account", &v))
            }
            (Some(bik), Some(v)) => SettlementAccount::parse(&v, bik).map(Some).map_err(|_| corrupt("account", &v)),
            (None, Some(v)) => Err(corrupt("account without a BIK", &v)),
            (_, None) => Ok(None),
        };
        Ok(Requisites {
            settlement_account: account(self.settlement_account, false)?,
            correspondent_account: account(self.correspondent_account, true)?,
            name: self.name,
            inn: typed(self.inn, Inn::parse, "INN")?,
            kpp: typed(self.kpp, Kpp::parse, "KPP")?,
            address: self.legal_address,
            bank_name: self.bank_name,
            bik,
        })
    }
}

const PARTY_COLUMNS: &str = "SELECT name, inn, kpp, legal_address, bank_name, bik, settlement_account, correspondent_account \
     FROM organisations";

#[async_trait]
impl InvoiceStore for SqlStore {
    async fn open_invoices(&self, organisation_id: i64) -> StoreResult<Vec<OpenInvoice>> {
        let rows: Vec<(NaiveDate, i64)> = on_db!(self.db(), pool => sqlx::query_as(
            "SELECT issued_on, amount - paid FROM invoices WHERE organisation_id = $1 AND paid < amount ORDER BY issued_on")
            .bind(organisation_id).fetch_all(pool).await.map_err(other)?);
        Ok(rows.into_iter().map(|(issued, outstanding)| OpenInvoice { issued, outstanding }).collect())
    }

    async fn invoice_parties(&self, organisation_id: i64) -> StoreResult<(Requisites, Requisites)> {
        let seller_sql = format!("{PARTY_COLUMNS} WHERE kind = 'seller' ORDER BY id LIMIT 1");
        let buyer_sql = format!("{PARTY_COLUMNS} WHERE id = $1");
        on_db!(self.db(), pool => {
            let seller: Option<PartyRow> = sqlx::query_as(AssertSqlSafe(seller_sql.as_str())).fetch_optional(pool).await.map_err(other)?;
            let buyer: Option<PartyRow> = sqlx::query_as(AssertSqlSafe(buyer_sql.as_str()))
                .bind(organisation_id).fetch_optional(pool).await.map_err(other)?;
            match (seller, buyer) {
                (Some(s), Some(b)) => Ok((s.requisites()?, b.requisites()?)),
                _ => Err(StoreError::NotFound),
            }
        })
    }
}
