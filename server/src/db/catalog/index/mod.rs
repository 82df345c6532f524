//! Catalog area: the in-memory search index. Every search, filter and facet count over the active
//! products runs here instead of in SQL: one pass over the matching products counts every facet
//! at once (each facet without its own filter), so a distinct query over 100 000 products costs
//! milliseconds on either database. The index is built from the database per catalog version and
//! patched in place when prices or stock move (see `search.rs`); it holds every viewer's price
//! columns, and the viewer's price type picks one per query.
//!
//! Text: each product's `search_text` (stemmed words, `domain::search`) becomes postings of a
//! sorted vocabulary; a query term matches every word it is a prefix of, all terms must match.
//! Relevance is how early the terms occur in the text (the name comes first, then brand, article,
//! category, attributes), then the product id.

use std::collections::HashMap;

use app::model::Sort;
use app::ports::{CatalogQuery, CatalogResult, ProductRecord};
use chrono::{DateTime, Utc};
use domain::pricing::PriceType;

/// Word positions beyond this count as this (relevance only needs "early" from "late").
const LAST_POSITION: u8 = 254;
/// What a product's relevance score is when a term did not match it.
const NO_MATCH: u32 = u32::MAX;
/// Brands listed in the brand facet, and attribute values in the attribute facets (as before).
const MAX_BRANDS: usize = 60;
const MAX_ATTRIBUTE_VALUES: usize = 300;

/// Facet bits: which filters a product fails. Attribute names take the bits from `ATTR0` up.
const CATEGORY: u64 = 1;
const BRAND: u64 = 2;
const PRICE: u64 = 4;
const STOCK: u64 = 8;
const ATTR0: u32 = 4;

/// One product as loaded: its record (without the description), its index text and attributes.
pub(super) struct Loaded {
    pub record: ProductRecord,
    pub search_text: String,
    pub attributes: Vec<(String, String)>,
}

struct Item {
    record: ProductRecord,
    /// A hash of the index text (a change to it means building the index again).
    text_hash: u64,
    /// Dense ids of the item's category, brand and (name, value) pairs (sorted).
    category: u32,
    brand: u32,
    pairs: Vec<u32>,
    /// Place of the product in (name, id) order.
    name_rank: u32,
}

#[derive(Default)]
pub(super) struct CatalogIndex {
    /// The newest `products.updated_at` this index has seen.
    pub version: Option<DateTime<Utc>>,
    /// Ordered by product id: an item's place is its id order.
    items: Vec<Item>,
    places: HashMap<i64, u32>,
    categories: Vec<i64>,
    brands: Vec<String>,
    /// (name id, value) of each pair id; the names themselves.
    pairs: Vec<(u32, String)>,
    names: Vec<String>,
    /// Sorted words, each with its postings `starts[w]..starts[w + 1]` in `posting_items`/`_positions`.
    words: Vec<String>,
    starts: Vec<u32>,
    posting_items: Vec<u32>,
    posting_positions: Vec<u8>,
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Dense ids for distinct values.
struct Dictionary<K> {
    ids: HashMap<K, u32>,
    values: Vec<K>,
}

impl<K: std::hash::Hash + Eq + Clone> Dictionary<K> {
    fn new() -> Self {
        Self { ids: HashMap::new(), values: Vec::new() }
    }

    fn id(&mut self, k: &K) -> u32 {
        if let Some(id) = self.ids.get(k) {
            return *id;
        }
        let id = self.values.len() as u32;
        self.ids.insert(k.clone(), id);
        self.values.push(k.clone());
        id
    }
}

impl CatalogIndex {
    pub fn build(version: Option<DateTime<Utc>>, mut products: Vec<Loaded>) -> Self {
        products.sort_by_key(|p| p.record.id);
        let mut categories = Dictionary::new();
        let mut brands = Dictionary::new();
        let mut names = Dictionary::new();
        let mut pairs = Dictionary::new();
        let mut postings: HashMap<&str, Vec<(u32, u8)>> = HashMap::new();
        for (place, p) in products.iter().enumerate() {
            for (position, word) in p.search_text.split(' ').filter(|w| !w.is_empty()).enumerate() {
                let list = postings.entry(word).or_default();
                // A word repeated in one text keeps its first position.
                if list.last().is_none_or(|(i, _)| *i != place as u32) {
                    list.push((place as u32, position.min(usize::from(LAST_POSITION)) as u8));
                }
            }
        }
        let mut words: Vec<(String, Vec<(u32, u8)>)> = postings.into_iter().map(|(w, l)| (w.to_string(), l)).collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // The records move into the index (a catalog is not held twice while it is built).
        let mut items = Vec::with_capacity(products.len());
        for p in products {
            let mut item_pairs: Vec<u32> =
                p.attributes.into_iter().map(|(n, v)| pairs.id(&(names.id(&n), v))).collect();
            item_pairs.sort_unstable();
            item_pairs.dedup();
            items.push(Item {
                text_hash: text_hash(&p.search_text),
                category: categories.id(&p.record.category_id),
                brand: brands.id(&p.record.brand),
                pairs: item_pairs,
                name_rank: 0,
                record: p.record,
            });
        }
        let mut by_name: Vec<u32> = (0..items.len() as u32).collect();
        by_name.sort_by(|a, b| items[*a as usize].record.name.cmp(&items[*b as usize].record.name).then(a.cmp(b)));
        for (rank, place) in by_name.into_iter().enumerate() {
            items[place as usize].name_rank = rank as u32;
        }
        let mut index = CatalogIndex {
            version,
            places: items.iter().enumerate().map(|(i, it)| (it.record.id, i as u32)).collect(),
            items,
            categories: categories.values,
            brands: brands.values,
            pairs: pairs.values,
            names: names.values,
            ..Default::default()
        };
        index.starts.push(0);
        for (word, list) in words {
            index.words.push(word);
            for (item, position) in list {
                index.posting_items.push(item);
                index.posting_positions.push(position);
            }
            index.starts.push(index.posting_items.len() as u32);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Takes a changed product's prices and stock. `false` if the change is more than that (a new,
    /// hidden or renamed product, another text or category): the index must be built again.
    pub fn patch(&mut self, changed: &Loaded, active: bool) -> bool {
        let Some(place) = self.places.get(&changed.record.id) else { return !active };
        let item = &mut self.items[*place as usize];
        let (a, b) = (&item.record, &changed.record);
        let same = active
            && item.text_hash == text_hash(&changed.search_text)
            && (&a.sku, &a.name, &a.brand, a.category_id, &a.category, a.unit, a.vat, a.warranty_months, a.returnable)
                == (
                    &b.sku,
                    &b.name,
                    &b.brand,
                    b.category_id,
                    &b.category,
                    b.unit,
                    b.vat,
                    b.warranty_months,
                    b.returnable,
                );
        if same {
            item.record.prices = b.prices;
            item.record.stock = b.stock;
        }
        same
    }

    /// An active product and its attributes (by name).
    pub fn product(&self, id: i64) -> Option<(ProductRecord, Vec<(String, String)>)> {
        let item = &self.items[*self.places.get(&id)? as usize];
        let mut attributes: Vec<(String, String)> = item
            .pairs
            .iter()
            .map(|p| {
                let (name, value) = &self.pairs[*p as usize];
                (self.names[*name as usize].clone(), value.clone())
            })
            .collect();
        attributes.sort();
        Some((item.record.clone(), attributes))
    }

    /// Those of these products that are active and in stock, by name, at most `limit`.
    pub fn in_stock_by_name(&self, ids: &[i64], limit: usize) -> Vec<ProductRecord> {
        let mut found: Vec<&Item> = ids
            .iter()
            .filter_map(|id| self.places.get(id))
            .map(|p| &self.items[*p as usize])
            .filter(|i| i.record.stock > 0)
            .collect();
        found.sort_by_key(|i| i.name_rank);
        found.dedup_by_key(|i| i.record.id);
        found.into_iter().take(limit).map(|i| i.record.clone()).collect()
    }

    /// The ids of the items a query term matches, with the term's first position in each: the
    /// score array gets each item's position added, and items the term misses drop out.
    fn match_term(&self, term: &str, scores: &mut [u32], best: &mut [u8]) {
        best.fill(u8::MAX);
        let first = self.words.partition_point(|w| w.as_str() < term);
        for w in (first..self.words.len()).take_while(|w| self.words[*w].starts_with(term)) {
            let range = self.starts[w] as usize..self.starts[w + 1] as usize;
            for (item, position) in self.posting_items[range.clone()].iter().zip(&self.posting_positions[range]) {
                let b = &mut best[*item as usize];
                *b = (*b).min(*position);
            }
        }
        for (score, b) in scores.iter_mut().zip(best.iter()) {
            if *b == u8::MAX {
                *score = NO_MATCH;
            } else if *score != NO_MATCH {
                *score += u32::from(*b);
            }
        }
    }

    pub fn search(&self, q: &CatalogQuery) -> CatalogResult {
        let n = self.items.len();
        let scores = (!q.terms.is_empty()).then(|| {
            let mut scores = vec![0_u32; n];
            let mut best = vec![u8::MAX; n];
            for term in &q.terms {
                self.match_term(term, &mut scores, &mut best);
            }
            scores
        });

        // The filters, in dense ids.
        let category_ids: HashMap<i64, ()> = q.category_ids.iter().map(|c| (*c, ())).collect();
        let chosen_categories: Vec<bool> = self.categories.iter().map(|c| category_ids.contains_key(c)).collect();
        let chosen_brands: Vec<bool> = self.brands.iter().map(|b| q.brands.contains(b)).collect();
        // Each filtered attribute name: its bit and the pair ids it allows (an unknown name or value
        // allows nothing, as the SQL did).
        let mut filter_names: Vec<(u64, Vec<u32>)> = Vec::new();
        let mut name_bits: HashMap<u32, u64> = HashMap::new();
        let mut seen_names: Vec<&str> = Vec::new();
        for (name, _) in &q.attributes {
            if seen_names.contains(&name.as_str()) {
                continue;
            }
            seen_names.push(name);
            let bit = 1_u64 << (ATTR0 + (filter_names.len() as u32).min(63 - ATTR0));
            let allowed: Vec<u32> = (0..self.pairs.len() as u32)
                .filter(|p| {
                    let (name_id, value) = &self.pairs[*p as usize];
                    &self.names[*name_id as usize] == name && q.attributes.iter().any(|(n, v)| n == name && v == value)
                })
                .collect();
            if let Some(name_id) = self.names.iter().position(|x| x == name) {
                name_bits.insert(name_id as u32, bit);
            }
            filter_names.push((bit, allowed));
        }
        let price_of = |r: &ProductRecord| match q.price_type {
            PriceType::Retail => r.prices.retail,
            PriceType::Wholesale => r.prices.wholesale,
            PriceType::Dealer => r.prices.dealer,
            PriceType::Purchase => r.prices.purchase,
        };

        // One pass: which filters each product fails decides which counts it enters.
        let mut matched: Vec<u32> = Vec::new();
        let mut category_counts = vec![0_i64; self.categories.len()];
        let mut brand_counts = vec![0_i64; self.brands.len()];
        let mut pair_counts = vec![0_i64; if q.attribute_facets { self.pairs.len() } else { 0 }];
        let mut in_stock = 0_i64;
        let mut price_range: Option<(i64, i64)> = None;
        for (place, item) in self.items.iter().enumerate() {
            if scores.as_ref().is_some_and(|s| s[place] == NO_MATCH) {
                continue;
            }
            let r = &item.record;
            let price = price_of(r);
            let mut fails = 0_u64;
            if !q.category_ids.is_empty() && !chosen_categories[item.category as usize] {
                fails |= CATEGORY;
            }
            if !q.brands.is_empty() && !chosen_brands[item.brand as usize] {
                fails |= BRAND;
            }
            if q.price_min.is_some_and(|m| price < m) || q.price_max.is_some_and(|m| price > m) {
                fails |= PRICE;
            }
            if q.in_stock && r.stock <= 0 {
                fails |= STOCK;
            }
            for (bit, allowed) in &filter_names {
                if !item.pairs.iter().any(|p| allowed.binary_search(p).is_ok()) {
                    fails |= bit;
                }
            }
            if fails == 0 {
                matched.push(place as u32);
            }
            if fails & !CATEGORY == 0 {
                category_counts[item.category as usize] += 1;
            }
            if fails & !BRAND == 0 {
                brand_counts[item.brand as usize] += 1;
            }
            if fails & !STOCK == 0 && r.stock > 0 {
                in_stock += 1;
            }
            if fails & !PRICE == 0 {
                price_range = Some(price_range.map_or((price, price), |(lo, hi)| (lo.min(price), hi.max(price))));
            }
            if q.attribute_facets {
                for p in &item.pairs {
                    let own = name_bits.get(&self.pairs[*p as usize].0).copied().unwrap_or(0);
                    if fails & !own == 0 {
                        pair_counts[*p as usize] += 1;
                    }
                }
            }
        }

        let total = matched.len() as i64;
        let rows = self.page(q, matched, scores.as_deref(), price_of);
        let categories =
            self.categories.iter().zip(category_counts).filter(|(_, n)| *n > 0).map(|(c, n)| (*c, n)).collect();
        let mut brands: Vec<(String, i64)> =
            self.brands.iter().zip(brand_counts).filter(|(_, n)| *n > 0).map(|(b, n)| (b.clone(), n)).collect();
        brands.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        brands.truncate(MAX_BRANDS);
        let mut attributes: Vec<(String, String, i64)> = pair_counts
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .map(|(p, n)| {
                let (name, value) = &self.pairs[p];
                (self.names[*name as usize].clone(), value.clone(), n)
            })
            .collect();
        attributes.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        attributes.truncate(MAX_ATTRIBUTE_VALUES);
        CatalogResult { rows, total, categories, brands, attributes, in_stock, price_range }
    }

    /// The requested page of the matching products in the requested order: only the page's
    /// products are put in order (a partial selection first), not every match.
    fn page(
        &self,
        q: &CatalogQuery,
        matched: Vec<u32>,
        scores: Option<&[u32]>,
        price_of: impl Fn(&ProductRecord) -> i64,
    ) -> Vec<ProductRecord> {
        let key = |place: u32| -> u64 {
            let item = &self.items[place as usize];
            match (q.sort, scores) {
                (Sort::Relevance, Some(s)) => u64::from(s[place as usize]),
                (Sort::Relevance, None) => (u64::from(item.record.stock <= 0) << 32) | u64::from(item.name_rank),
                (Sort::PriceAsc, _) => price_of(&item.record).max(0) as u64,
                (Sort::PriceDesc, _) => u64::MAX - price_of(&item.record).max(0) as u64,
                (Sort::Name, _) => u64::from(item.name_rank),
            }
        };
        // Places are in id order, so (key, place) breaks ties by id as the SQL did.
        let mut keyed: Vec<(u64, u32)> = matched.into_iter().map(|p| (key(p), p)).collect();
        let offset = usize::try_from(q.offset).unwrap_or(usize::MAX).min(keyed.len());
        let end = offset.saturating_add(usize::try_from(q.limit).unwrap_or(0)).min(keyed.len());
        if end < keyed.len() && end > 0 {
            keyed.select_nth_unstable(end - 1);
            keyed.truncate(end);
        }
        keyed.sort_unstable();
        keyed[offset..end].iter().map(|(_, place)| self.items[*place as usize].record.clone()).collect()
    }
}

#[cfg(test)]
mod tests;
