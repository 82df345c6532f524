//! Ordering area, storage: the staff queue — one page of the orders within reach that match a
//! filter, the count per status, the managers to filter by.

use app::model::{ManagerPick, OrderFilter, OrderQueue, QueueRow, QueueSort};
use app::ports::{Reach, StoreResult};
use chrono::{DateTime, NaiveDate, Utc};
use domain::StatusMachine;
use domain::ordering::PaymentStatus;
use domain::ordering::workflow::SalesChannel;
use domain::status::OrderStatus;
use sqlx::AssertSqlSafe;

use super::super::sql::*;
use super::super::{SqlStore, on_db};

pub(super) async fn order_queue(
    store: &SqlStore,
    reach: &Reach,
    f: &OrderFilter,
    per_page: i64,
) -> StoreResult<OrderQueue> {
    // The filter's conditions, each with its values, numbered after the reach's own.
    let (within, reach_bind) = reach_clause(reach, "o.organisation_id", "o.buyer_user_id", 1);
    let mut vals: Vec<Val> = reach_bind.map(Val::I).into_iter().collect();
    let mut conditions = vec![within];
    // The managers of the clients within reach, before any other condition (the filter's choices).
    let managers_sql = format!(
        "SELECT DISTINCT m.id, m.name FROM orders o JOIN organisations g ON g.id = o.organisation_id \
         JOIN users m ON m.id = g.manager_id WHERE {} ORDER BY m.name",
        conditions[0]
    );
    let managers_vals = vals.clone();
    let mut add = |sql: &str, v: Val, vals: &mut Vec<Val>| {
        vals.push(v);
        conditions.push(sql.replace('?', &format!("${}", vals.len())));
    };
    let moscow = domain::locale::moscow();
    let day_start =
        |d: NaiveDate| d.and_hms_opt(0, 0, 0).and_then(|t| t.and_local_timezone(moscow).single()).map(|t| t.to_utc());
    if let Some(start) = f.from.and_then(day_start) {
        add("o.created_at >= ?", Val::T(start), &mut vals);
    }
    if let Some(end) = f.to.and_then(|d| d.succ_opt()).and_then(day_start) {
        add("o.created_at < ?", Val::T(end), &mut vals);
    }
    if let Some(n) = f.number {
        add("o.id = ?", Val::I(n), &mut vals);
    }
    if let Some(min) = f.min_total {
        add("o.total >= ?", Val::I(min), &mut vals);
    }
    if let Some(max) = f.max_total {
        add("o.total <= ?", Val::I(max), &mut vals);
    }
    if let Some(channel) = f.channel {
        add("o.channel = ?", Val::S(channel.code().into()), &mut vals);
    }
    match f.manager {
        Some(ManagerPick::User(id)) => add("g.manager_id = ?", Val::I(id), &mut vals),
        Some(ManagerPick::Nobody) => conditions.push("g.manager_id IS NULL".into()),
        None => {}
    }
    let who = f.who.trim();
    if !who.is_empty() {
        // Case-insensitive on PostgreSQL; SQLite's LOWER folds only Latin letters, so the name
        // is also tried as typed and with its first letter capitalised.
        let like = |s: &str| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let capitalised: String = who.chars().take(1).flat_map(char::to_uppercase).chain(who.chars().skip(1)).collect();
        vals.extend([Val::S(like(&who.to_lowercase())), Val::S(like(who)), Val::S(like(&capitalised))]);
        let n = vals.len();
        conditions.push(format!(
            "(LOWER(g.name) LIKE ${a} ESCAPE '\\' OR LOWER(u.name) LIKE ${a} ESCAPE '\\' OR g.name LIKE ${b} ESCAPE '\\' \
             OR u.name LIKE ${b} ESCAPE '\\' OR g.name LIKE ${c} ESCAPE '\\' OR u.name LIKE ${c} ESCAPE '\\')",
            a = n - 2, b = n - 1, c = n
        ));
    }
    let from = "FROM orders o JOIN organisations g ON g.id = o.organisation_id JOIN users u ON u.id = o.buyer_user_id \
                LEFT JOIN users m ON m.id = g.manager_id";
    let counts_sql = format!("SELECT o.status, COUNT(*) {from} WHERE {} GROUP BY o.status", conditions.join(" AND "));
    let counts_vals = vals.clone();
    if let Some(status) = f.status {
        vals.push(Val::S(status.code().into()));
        conditions.push(format!("o.status = ${}", vals.len()));
    }
    let order_by = match f.sort {
        QueueSort::Newest => "o.created_at DESC, o.id DESC",
        QueueSort::Oldest => "o.created_at, o.id",
        QueueSort::Largest => "o.total DESC, o.id DESC",
        QueueSort::Smallest => "o.total, o.id",
    };
    let page = f.page.max(1);
    let rows_sql = format!(
        "SELECT o.id, o.created_at, o.channel, o.status, o.payment_status, o.total, g.name, u.name, m.name \
         {from} WHERE {} ORDER BY {order_by} LIMIT {per_page} OFFSET {}",
        conditions.join(" AND "),
        (page - 1).saturating_mul(per_page)
    );
    let matching_sql = format!("SELECT COUNT(*) {from} WHERE {}", conditions.join(" AND "));
    type Row = (i64, DateTime<Utc>, String, String, String, i64, String, String, Option<String>);
    type Found = (Vec<Row>, i64, Vec<(String, i64)>, Vec<(i64, String)>);
    let (rows, matching, counts, managers): Found = on_db!(store.db(), pool => {
        let rows = bind_all!(sqlx::query_as(AssertSqlSafe(rows_sql.as_str())), &vals).fetch_all(pool).await.map_err(other)?;
        let matching = bind_all!(sqlx::query_scalar(AssertSqlSafe(matching_sql.as_str())), &vals).fetch_one(pool).await.map_err(other)?;
        let counts = bind_all!(sqlx::query_as(AssertSqlSafe(counts_sql.as_str())), &counts_vals).fetch_all(pool).await.map_err(other)?;
        let managers = bind_all!(sqlx::query_as(AssertSqlSafe(managers_sql.as_str())), &managers_vals).fetch_all(pool).await.map_err(other)?;
        (rows, matching, counts, managers)
    });
    let mut by_status = counts
        .into_iter()
        .map(|(s, n)| Ok((decode(&s, OrderStatus::parse, "order status")?, n)))
        .collect::<StoreResult<Vec<_>>>()?;
    by_status.sort_by_key(|(s, _)| OrderStatus::ALL.iter().position(|x| x == s));
    let rows = rows
        .into_iter()
        .map(|(id, created_at, channel, status, payment, total, organisation, buyer, manager)| {
            Ok(QueueRow {
                id,
                created_at,
                channel: decode(&channel, SalesChannel::parse, "sales channel")?,
                status: decode(&status, OrderStatus::parse, "order status")?,
                payment_status: decode(&payment, PaymentStatus::parse, "payment status")?,
                total,
                organisation,
                buyer,
                manager,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(OrderQueue { rows, matching, by_status, managers, page, pages: (matching + per_page - 1) / per_page.max(1) })
}
