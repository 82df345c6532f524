//! The index against a small catalog: matching, facets, order, patches, product pages.
use super::*;
use domain::pricing::ProductPrices;

fn product(
    id: i64,
    name: &str,
    brand: &str,
    category_id: i64,
    retail: i64,
    stock: i64,
    attrs: &[(&str, &str)],
) -> Loaded {
    Loaded {
        record: ProductRecord {
            id,
            sku: format!("SKU-{id}"),
            name: name.into(),
            brand: brand.into(),
            category_id,
            category: format!("cat {category_id}"),
            unit: domain::Unit::Pcs,
            prices: ProductPrices { retail, wholesale: retail * 9 / 10, dealer: retail * 8 / 10, purchase: retail / 2 },
            vat: domain::VatRate::Percent(22),
            stock,
            warranty_months: 12,
            returnable: true,
            description: String::new(),
        },
        search_text: domain::search::index_text([name, brand].into_iter().chain(attrs.iter().map(|(_, v)| *v))),
        attributes: attrs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
    }
}

fn catalog() -> CatalogIndex {
    CatalogIndex::build(
        None,
        vec![
            product(3, "Котел газовый настенный", "Baxi", 1, 5_000_000, 5, &[("Мощность", "24")]),
            product(1, "Котел электрический", "Protherm", 1, 3_000_000, 0, &[("Мощность", "12")]),
            product(2, "Радиатор стальной", "Rifar", 2, 500_000, 10, &[("Секции", "10")]),
            product(4, "Напольный газовый котел", "Baxi", 1, 7_000_000, 2, &[("Мощность", "24")]),
        ],
    )
}

fn query() -> CatalogQuery {
    CatalogQuery {
        terms: Vec::new(),
        category_ids: Vec::new(),
        brands: Vec::new(),
        price_type: PriceType::Retail,
        price_min: None,
        price_max: None,
        in_stock: false,
        attributes: Vec::new(),
        attribute_facets: true,
        sort: Sort::Relevance,
        offset: 0,
        limit: 10,
    }
}

fn ids(r: &CatalogResult) -> Vec<i64> {
    r.rows.iter().map(|p| p.id).collect()
}

#[test]
fn terms_match_as_prefixes_all_required_earliest_first() {
    let index = catalog();
    let r = index.search(&CatalogQuery { terms: domain::search::query_terms("котел газ"), ..query() });
    // Both words lead 3's text; 4 has them later.
    assert_eq!(ids(&r), vec![3, 4]);
    assert_eq!(r.total, 2);
    assert_eq!(index.search(&CatalogQuery { terms: vec!["радиат".into()], ..query() }).total, 1);
    assert_eq!(index.search(&CatalogQuery { terms: vec!["котел".into(), "нет".into()], ..query() }).total, 0);
}

#[test]
fn each_facet_counts_without_its_own_filter() {
    let index = catalog();
    let r = index.search(&CatalogQuery { brands: vec!["Baxi".into()], in_stock: true, ..query() });
    assert_eq!(ids(&r), vec![3, 4]);
    // Brands counted in stock, ignoring the brand choice.
    assert_eq!(r.brands, vec![("Baxi".to_string(), 2), ("Rifar".to_string(), 1)]);
    // Stock counted among Baxi.
    assert_eq!(r.in_stock, 2);
    assert_eq!(r.categories, vec![(1, 2)]);
    let r = index.search(&CatalogQuery {
        attributes: vec![("Мощность".into(), "24".into())],
        category_ids: vec![1],
        ..query()
    });
    assert_eq!(r.total, 2);
    assert!(r.attributes.contains(&("Мощность".to_string(), "12".to_string(), 1)));
    assert!(r.attributes.contains(&("Мощность".to_string(), "24".to_string(), 2)));
    assert_eq!(r.price_range, Some((5_000_000, 7_000_000)));
    let none = index.search(&CatalogQuery { attributes: vec![("Цвет".into(), "белый".into())], ..query() });
    assert_eq!(none.total, 0);
}

#[test]
fn sorts_and_pages_like_the_sql_did() {
    let index = catalog();
    // Without terms: in stock first, then by name.
    assert_eq!(ids(&index.search(&query())), vec![3, 4, 2, 1]);
    let by_price = index.search(&CatalogQuery { sort: Sort::PriceDesc, offset: 1, limit: 2, ..query() });
    assert_eq!(ids(&by_price), vec![3, 1]);
    assert_eq!(by_price.total, 4);
    let wholesale = index.search(&CatalogQuery {
        sort: Sort::PriceAsc,
        price_type: PriceType::Wholesale,
        price_max: Some(3_000_000),
        ..query()
    });
    assert_eq!(ids(&wholesale), vec![2, 1]);
    assert!(index.search(&CatalogQuery { offset: 50, ..query() }).rows.is_empty());
}

#[test]
fn prices_and_stock_patch_in_place_anything_else_asks_for_a_build() {
    let mut index = catalog();
    let mut changed = product(2, "Радиатор стальной", "Rifar", 2, 400_000, 0, &[("Секции", "10")]);
    assert!(index.patch(&changed, true));
    let r = index.search(&CatalogQuery { in_stock: true, ..query() });
    assert_eq!(ids(&r), vec![3, 4]);
    changed.record.name = "Радиатор алюминиевый".into();
    assert!(!index.patch(&changed, true), "renamed");
    assert!(!index.patch(&product(9, "Новый", "X", 1, 1, 1, &[]), true), "new");
    assert!(index.patch(&product(9, "Скрытый", "X", 1, 1, 1, &[]), false), "a hidden unknown one changes nothing");
    assert!(!index.patch(&product(3, "Котел газовый настенный", "Baxi", 1, 1, 1, &[("Мощность", "24")]), false));
}

#[test]
fn a_product_with_its_attributes_and_analogs_in_stock_by_name() {
    let index = catalog();
    let (record, attributes) = index.product(3).expect("product 3");
    assert_eq!((record.id, attributes), (3, vec![("Мощность".to_string(), "24".to_string())]));
    assert!(index.product(99).is_none());
    let analogs: Vec<i64> = index.in_stock_by_name(&[1, 2, 4, 99, 3], 2).iter().map(|p| p.id).collect();
    assert_eq!(analogs, vec![3, 4], "1 is out of stock, 99 unknown, 2 comes after by name");
}
