//! Catalog area: the search with facets as SQL. Each facet counts what choosing one of its values
//! would give (the query without that facet's own filter). Full-text search is the one place the
//! two engines differ: FTS5 prefix queries on SQLite, a `simple` tsvector on PostgreSQL.

use app::model::Sort;
use app::ports::{CatalogQuery, CatalogResult, StoreResult};
use sqlx::AssertSqlSafe;

use super::{PRODUCT_COLUMNS, ProductRow};
use crate::db::sql::*;
use crate::db::{Db, SqlStore, on_db};

/// Which filter a facet query leaves out (a facet counts what choosing one of its values would give).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    Nothing,
    Category,
    Brand,
    Attributes,
    Price,
    Stock,
}

struct Built {
    from: String,
    filter: String,
    vals: Vec<Val>,
}

impl Built {
    fn push(&mut self, v: Val) -> String {
        self.vals.push(v);
        format!("${}", self.vals.len())
    }
}

fn build(db: &Db, q: &CatalogQuery, skip: Skip) -> Built {
    let mut b = Built { from: "products p".into(), filter: "p.active".into(), vals: Vec::new() };
    if !q.terms.is_empty() {
        match db {
            Db::Sqlite(_) => {
                let ph = b.push(Val::S(domain::search::fts5_query(&q.terms)));
                b.from = format!(
                    "products p JOIN (SELECT rowid AS fid, rank FROM products_fts WHERE products_fts MATCH {ph}) f ON f.fid = p.id"
                );
            }
            Db::Postgres(_) => {
                let ph = b.push(Val::S(domain::search::tsquery(&q.terms)));
                b.filter.push_str(&format!(" AND to_tsvector('simple', p.search_text) @@ to_tsquery('simple', {ph})"));
            }
        }
    }
    if skip != Skip::Category && !q.category_ids.is_empty() {
        let list: Vec<String> = q.category_ids.iter().map(|id| b.push(Val::I(*id))).collect();
        b.filter.push_str(&format!(" AND p.category_id IN ({})", list.join(", ")));
    }
    if skip != Skip::Brand && !q.brands.is_empty() {
        let list: Vec<String> = q.brands.iter().map(|x| b.push(Val::S(x.clone()))).collect();
        b.filter.push_str(&format!(" AND p.brand IN ({})", list.join(", ")));
    }
    let price = price_column(q.price_type);
    if skip != Skip::Price {
        if let Some(min) = q.price_min {
            let ph = b.push(Val::I(min));
            b.filter.push_str(&format!(" AND {price} >= {ph}"));
        }
        if let Some(max) = q.price_max {
            let ph = b.push(Val::I(max));
            b.filter.push_str(&format!(" AND {price} <= {ph}"));
        }
    }
    if skip != Skip::Stock && q.in_stock {
        b.filter.push_str(" AND p.stock_total > 0");
    }
    if skip != Skip::Attributes {
        let mut names: Vec<&str> = q.attributes.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let name_ph = b.push(Val::S(name.to_string()));
            let values: Vec<String> = q
                .attributes
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
                .into_iter()
                .map(|v| b.push(Val::S(v)))
                .collect();
            b.filter.push_str(&format!(
                " AND p.id IN (SELECT product_id FROM product_attributes WHERE name = {name_ph} AND value IN ({}))",
                values.join(", ")
            ));
        }
    }
    b
}

impl SqlStore {
    /// Rows and facet counts straight from the database.
    pub(super) async fn search_uncached(&self, q: &CatalogQuery) -> StoreResult<CatalogResult> {
        let db = self.db();
        let main = build(db, q, Skip::Nothing);
        let price = price_column(q.price_type);
        let order = match (q.sort, q.terms.is_empty(), db) {
            (Sort::Relevance, false, Db::Sqlite(_)) => "f.rank, p.id".to_string(),
            (Sort::Relevance, false, Db::Postgres(_)) => {
                "ts_rank(to_tsvector('simple', p.search_text), to_tsquery('simple', $1)) DESC, p.id".to_string()
            }
            (Sort::Relevance, true, _) => "(p.stock_total > 0) DESC, p.name, p.id".to_string(),
            (Sort::PriceAsc, ..) => format!("{price}, p.id"),
            (Sort::PriceDesc, ..) => format!("{price} DESC, p.id"),
            (Sort::Name, ..) => "p.name, p.id".to_string(),
        };
        let n = main.vals.len();
        let rows_sql = format!(
            "SELECT {PRODUCT_COLUMNS}, '' AS description FROM {} JOIN categories c ON c.id = p.category_id \
             WHERE {} ORDER BY {order} LIMIT ${} OFFSET ${}",
            main.from,
            main.filter,
            n + 1,
            n + 2
        );
        let mut row_vals = main.vals.clone();
        row_vals.push(Val::I(q.limit));
        row_vals.push(Val::I(q.offset));
        let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {}", main.from, main.filter);

        let cat = build(db, q, Skip::Category);
        let cat_sql =
            format!("SELECT p.category_id, COUNT(*) FROM {} WHERE {} GROUP BY p.category_id", cat.from, cat.filter);
        let brand = build(db, q, Skip::Brand);
        let brand_sql = format!(
            "SELECT p.brand, COUNT(*) FROM {} WHERE {} GROUP BY p.brand ORDER BY COUNT(*) DESC, p.brand LIMIT 60",
            brand.from, brand.filter
        );
        let stock = build(db, q, Skip::Stock);
        let stock_sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN p.stock_total > 0 THEN 1 ELSE 0 END), 0) FROM {} WHERE {}",
            stock.from, stock.filter
        );
        let range = build(db, q, Skip::Price);
        let range_sql = format!("SELECT MIN({price}), MAX({price}) FROM {} WHERE {}", range.from, range.filter);
        let attrs = build(db, q, Skip::Attributes);
        let attrs_sql = format!(
            "SELECT a.name, a.value, COUNT(*) FROM product_attributes a JOIN {} ON p.id = a.product_id WHERE {} \
             GROUP BY a.name, a.value ORDER BY a.name, a.value LIMIT 300",
            attrs.from, attrs.filter
        );

        on_db!(db, pool => {
            let rows = async {
                bind_all!(sqlx::query_as::<_, ProductRow>(AssertSqlSafe(rows_sql.as_str())), &row_vals).fetch_all(pool).await
            };
            let total = async {
                bind_all!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql.as_str())), &main.vals).fetch_one(pool).await
            };
            let categories = async {
                bind_all!(sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(cat_sql.as_str())), &cat.vals).fetch_all(pool).await
            };
            let brands = async {
                bind_all!(sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(brand_sql.as_str())), &brand.vals).fetch_all(pool).await
            };
            let in_stock = async {
                bind_all!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(stock_sql.as_str())), &stock.vals).fetch_one(pool).await
            };
            let price_range = async {
                bind_all!(sqlx::query_as::<_, (Option<i64>, Option<i64>)>(AssertSqlSafe(range_sql.as_str())), &range.vals)
                    .fetch_one(pool).await
            };
            let attributes = async {
                if q.attribute_facets {
                    bind_all!(sqlx::query_as::<_, (String, String, i64)>(AssertSqlSafe(attrs_sql.as_str())), &attrs.vals)
                        .fetch_all(pool).await
                } else {
                    Ok(Vec::new())
                }
            };
            let (rows, total, categories, brands, in_stock, price_range, attributes) =
                tokio::try_join!(rows, total, categories, brands, in_stock, price_range, attributes).map_err(other)?;
            Ok(CatalogResult {
                rows: rows.into_iter().map(ProductRow::record).collect(),
                total,
                categories,
                brands,
                attributes,
                in_stock,
                price_range: match price_range {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                },
            })
        })
    }
}
