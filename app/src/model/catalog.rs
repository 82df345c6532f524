//! Catalog area, wire types: what the buyer asks the catalog (from and to the page's address)
//! and what the catalog answers, priced for the viewer.

use domain::pricing::{Buyer, DiscountPolicy, PriceType};
use domain::{Unit, VatRate};
use serde::{Deserialize, Serialize};

use super::url::encode;

/// Products per catalog page.
pub const PAGE_SIZE: u32 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first when there is a query, otherwise in-stock first, then by name.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Name,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::PriceAsc, Sort::PriceDesc, Sort::Name];

    pub fn code(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Name => "name",
        }
    }

    pub fn parse(code: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.code() == code).unwrap_or_default()
    }
}

/// What the buyer asked the catalog for; read from and written to the page's address, so a
/// filtered view can be bookmarked, shared and exported.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: String,
    /// Category slug.
    pub category: Option<String>,
    pub brands: Vec<String>,
    /// Price bounds in whole roubles, for the viewer's price type.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub in_stock: bool,
    /// Attribute filters: (name, value); several values of one name mean "any of".
    pub attributes: Vec<(String, String)>,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
}

impl SearchParams {
    /// Reads `q`, `cat`, `brand` (repeated), `min`, `max`, `stock=1`, `a.<name>` (repeated),
    /// `sort`, `page`. Anything unreadable is ignored rather than refused: an address typed by
    /// hand still shows a catalog.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut p = SearchParams { page: 1, ..Default::default() };
        let roubles = |v: &str| v.trim().replace([' ', '\u{a0}'], "").parse::<i64>().ok().filter(|n| *n >= 0);
        for (k, v) in pairs {
            let v = v.trim();
            match k {
                "q" => p.q = v.chars().take(200).collect(),
                "cat" if !v.is_empty() => p.category = Some(v.chars().take(100).collect()),
                "brand" if !v.is_empty() && p.brands.len() < 50 => p.brands.push(v.chars().take(100).collect()),
                "min" => p.price_min = roubles(v),
                "max" => p.price_max = roubles(v),
                "stock" => p.in_stock = v == "1" || v == "on" || v == "true",
                "sort" => p.sort = Sort::parse(v),
                "page" => p.page = v.parse().ok().filter(|n: &u32| (1..=10_000).contains(n)).unwrap_or(1),
                _ => {
                    if let Some(name) = k.strip_prefix("a.")
                        && !v.is_empty()
                        && p.attributes.len() < 50
                    {
                        p.attributes.push((name.chars().take(100).collect(), v.chars().take(100).collect()));
                    }
                }
            }
        }
        p
    }

    /// The query string (without `?`) for these parameters.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        if !self.q.is_empty() {
            parts.push(("q".into(), self.q.clone()));
        }
        if let Some(c) = &self.category {
            parts.push(("cat".into(), c.clone()));
        }
        for b in &self.brands {
            parts.push(("brand".into(), b.clone()));
        }
        if let Some(m) = self.price_min {
            parts.push(("min".into(), m.to_string()));
        }
        if let Some(m) = self.price_max {
            parts.push(("max".into(), m.to_string()));
        }
        if self.in_stock {
            parts.push(("stock".into(), "1".into()));
        }
        for (n, v) in &self.attributes {
            parts.push((format!("a.{n}"), v.clone()));
        }
        if self.sort != Sort::Relevance {
            parts.push(("sort".into(), self.sort.code().into()));
        }
        if self.page > 1 {
            parts.push(("page".into(), self.page.to_string()));
        }
        parts.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
    }

    /// Whether anything narrows the view besides the query and the category.
    pub fn has_filters(&self) -> bool {
        !self.brands.is_empty()
            || self.price_min.is_some()
            || self.price_max.is_some()
            || self.in_stock
            || !self.attributes.is_empty()
    }

    pub fn with_page(&self, page: u32) -> Self {
        Self { page, ..self.clone() }
    }
}

/// How the viewer buys: which price list, and the discounts that apply to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub signed_in: bool,
    pub price_type: PriceType,
    pub buyer: Buyer,
    pub policy: DiscountPolicy,
    /// Wholesale clients and dealers order on credit against an invoice.
    pub on_credit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub brand: String,
    pub category: String,
    pub unit: Unit,
    /// The viewer's list price and their price after their discounts, kopecks per unit.
    pub list_price: i64,
    pub price: i64,
    /// Available over all locations, thousandths of the unit.
    pub stock: i64,
}

/// A live change of a product's price or stock, priced for the viewer (server-sent event `product`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveUpdate {
    pub id: i64,
    pub list_price: i64,
    pub price: i64,
    pub stock: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: i64,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeFacet {
    pub name: String,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    pub categories: Vec<FacetValue>,
    pub brands: Vec<FacetValue>,
    pub attributes: Vec<AttributeFacet>,
    /// How many of the results (ignoring the stock filter) are in stock.
    pub in_stock: i64,
    /// The price range of the results (ignoring the price filter), kopecks of the viewer's list price.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub params: SearchParams,
    pub items: Vec<ProductCard>,
    pub total: i64,
    pub pages: u32,
    pub facets: Facets,
    /// The chosen category and its parents, root first: (slug, name).
    pub breadcrumbs: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockAt {
    pub location_id: i64,
    pub name: String,
    pub address: String,
    pub pickup: bool,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPage {
    pub card: ProductCard,
    pub description: String,
    pub attributes: Vec<(String, String)>,
    pub warranty_months: i32,
    pub returnable: bool,
    pub vat: VatRate,
    pub stock: Vec<StockAt>,
    /// Analogs in stock (shown prominently when this product is out of stock).
    pub analogs: Vec<ProductCard>,
    pub breadcrumbs: Vec<(String, String)>,
    /// Only for staff who set prices: (retail, wholesale, dealer) in kopecks.
    pub staff_prices: Option<(i64, i64, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::url::parse_query;

    #[test]
    fn search_params_round_trip_through_the_address() {
        let p = SearchParams::from_pairs([
            ("q", "котёл газовый"),
            ("cat", "boilers"),
            ("brand", "Baxi"),
            ("brand", "Navien"),
            ("min", "10 000"),
            ("max", "x"),
            ("stock", "1"),
            ("a.Мощность, кВт", "24"),
            ("sort", "price_asc"),
            ("page", "3"),
        ]);
        assert_eq!(p.price_min, Some(10_000));
        assert_eq!(p.price_max, None);
        assert_eq!(p.attributes, vec![("Мощность, кВт".to_string(), "24".to_string())]);
        let query = p.to_query();
        let pairs = parse_query(&query);
        let again = SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(again, p);
        assert_eq!(SearchParams::from_pairs([("page", "0"), ("sort", "bogus")]).page, 1);
    }

    #[test]
    fn a_query_from_outside_never_fails_to_decode() {
        let pairs = parse_query("?q=%D0%BA%D1%80%D0%B0%D0%BD+%D1%88%D0%B0%D1%80&bad=%zz%&flag&=x&%FF=1");
        let expected = [("q", "кран шар"), ("bad", "%zz%"), ("flag", ""), ("", "x"), ("\u{FFFD}", "1")];
        assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }
}
