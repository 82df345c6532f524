//! SQL helpers every area's store shares: values bound to queries built at run time, codes of
//! domain values in columns, errors, the audit record.

use app::ports::{Reach, StoreError};
use chrono::{DateTime, Utc};
use domain::pricing::PriceType;
use domain::{Percent, Unit, VatRate};

/// A bound value of a query built at run time (the SQL text itself only ever holds constants and
/// placeholders).
#[derive(Debug, Clone)]
pub(crate) enum Val {
    I(i64),
    S(String),
    T(DateTime<Utc>),
    Rate(Option<i32>),
}

macro_rules! bind_all {
    ($query:expr, $vals:expr) => {{
        let mut q = $query;
        for v in $vals {
            q = match v {
                Val::I(i) => q.bind(*i),
                Val::S(s) => q.bind(s.clone()),
                Val::T(t) => q.bind(*t),
                Val::Rate(r) => q.bind(*r),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

pub(crate) fn price_column(t: PriceType) -> &'static str {
    match t {
        PriceType::Retail => "p.price_retail",
        PriceType::Wholesale => "p.price_wholesale",
        PriceType::Dealer => "p.price_dealer",
        PriceType::Purchase => "p.price_purchase",
    }
}

pub(crate) fn price_type_code(t: PriceType) -> &'static str {
    match t {
        PriceType::Retail => "retail",
        PriceType::Wholesale => "wholesale",
        PriceType::Dealer => "dealer",
        PriceType::Purchase => "purchase",
    }
}

pub(crate) fn parse_price_type(code: &str) -> PriceType {
    match code {
        "wholesale" => PriceType::Wholesale,
        "dealer" => PriceType::Dealer,
        _ => PriceType::Retail,
    }
}

pub(crate) fn parse_unit(code: &str) -> Unit {
    match code {
        "m" => Unit::M,
        "kg" => Unit::Kg,
        "set" => Unit::Set,
        _ => Unit::Pcs,
    }
}

pub(crate) fn unit_code(unit: Unit) -> &'static str {
    unit.code()
}

pub(crate) fn vat_from(rate: Option<i32>) -> VatRate {
    match rate {
        Some(r) => VatRate::Percent(u8::try_from(r).unwrap_or(0)),
        None => VatRate::Exempt,
    }
}

pub(crate) fn vat_to(rate: VatRate) -> Option<i32> {
    match rate {
        VatRate::Percent(r) => Some(i32::from(r)),
        VatRate::Exempt => None,
    }
}

pub(crate) fn bp(basis_points: i64) -> Percent {
    Percent::from_basis_points(basis_points).unwrap_or(Percent::ZERO)
}

/// `rows` groups of `cols` placeholders, numbered from `first`: `($1, $2), ($3, $4)`.
pub(crate) fn marks(cols: usize, rows: usize, first: usize) -> String {
    (0..rows)
        .map(|r| {
            let group: Vec<String> = (0..cols).map(|c| format!("${}", first + r * cols + c)).collect();
            if cols == 1 { group.concat() } else { format!("({})", group.join(", ")) }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Unique constraints a person can run into, by the column SQLite names in its message and the
/// constraint name PostgreSQL reports, and the form field each one is about.
const UNIQUE_FIELDS: &[(&str, &str, &str)] =
    &[("users.email", "users_email_key", "email"), ("users.phone", "users_phone_key", "phone")];

/// A database error as the use cases see it: a unique value a person chose that is taken becomes
/// a conflict on its field; anything else keeps its cause for the log.
pub(crate) fn other(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e
        && d.is_unique_violation()
    {
        let message = d.message();
        let known = UNIQUE_FIELDS.iter().find(|(column, constraint, _)| {
            d.constraint() == Some(*constraint) || message.strip_prefix("UNIQUE constraint failed: ") == Some(*column)
        });
        if let Some((_, _, field)) = known {
            return StoreError::Conflict(field);
        }
    }
    StoreError::Backend(Box::new(e))
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

/// The condition that keeps rows of an organisation-owned table (its `organisation_id` column
/// under `owner`, its person column under `person`) within reach, using placeholder `$n`, and the
/// value to bind there (none for everything).
pub(crate) fn reach_clause(reach: &Reach, owner: &str, person: &str, n: usize) -> (String, Option<i64>) {
    match *reach {
        Reach::User(id) => (format!("{person} = ${n}"), Some(id)),
        Reach::Organisation(id) => (format!("{owner} = ${n}"), Some(id)),
        Reach::Region(id) => (format!("{owner} IN (SELECT id FROM organisations WHERE region_id = ${n})"), Some(id)),
        Reach::RegionAndPersons(id) => {
            (format!("{owner} IN (SELECT id FROM organisations WHERE region_id = ${n} OR region_id IS NULL)"), Some(id))
        }
        Reach::Managed(manager) => (
            format!(
                "{owner} IN (SELECT g.id FROM organisations g WHERE g.manager_id = ${n} OR (g.manager_id IS NULL AND \
                 (g.region_id IS NULL OR g.region_id = (SELECT u.region_id FROM users u WHERE u.id = ${n}))))"
            ),
            Some(manager),
        ),
        Reach::Everything => ("1 = 1".to_string(), None),
    }
}

/// A stored value the code does not know: never defaulted, reported (it means corrupt data or a
/// newer schema).
pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {value:?}"))
}

/// A domain value from its stored code.
pub(crate) fn decode<T>(code: &str, parse: impl Fn(&str) -> Option<T>, what: &str) -> Result<T, StoreError> {
    parse(code).ok_or_else(|| corrupt(what, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_rows() {
        assert_eq!(marks(1, 3, 1), "$1, $2, $3");
        assert_eq!(marks(2, 2, 2), "($2, $3), ($4, $5)");
    }

    #[test]
    fn unknown_stored_codes_are_reported_not_defaulted() {
        assert!(matches!(
            decode("bogus", domain::ordering::PaymentStatus::parse, "payment status"),
            Err(StoreError::Corrupt(_))
        ));
        assert_eq!(
            decode("paid", domain::ordering::PaymentStatus::parse, "payment status").ok(),
            Some(domain::ordering::PaymentStatus::Paid)
        );
    }
}
