//! Catalog search answers (rows and facet counts) kept in memory for a few seconds.
//!
//! An answer costs a pass over the in-memory index (milliseconds); most visitors ask the same few
//! questions (a category, a popular word), and a kept answer costs nothing. An answer is reused only while the catalog's version —
//! the newest `products.updated_at`, which every price, stock or reservation change moves, on
//! whichever app server made it — is the one it was computed at, and never longer than [`TTL`]
//! (a bound for writers whose clocks lag). Writes through this server also drop it at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::ports::{CatalogQuery, CatalogResult};

/// The longest an answer is reused, even when the version did not move.
pub const TTL: Duration = Duration::from_secs(30);
/// Distinct questions kept; beyond that the cache starts over (bounded memory).
const MAX_ENTRIES: usize = 2_000;
/// Pages longer than this (Excel exports) are not kept.
const MAX_ROWS: i64 = 100;

#[derive(Default)]
pub struct SearchCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    version: String,
    entries: HashMap<String, (Instant, CatalogResult)>,
}

impl SearchCache {
    /// The key of a question, or `None` if its answer is not to be kept.
    pub fn key(q: &CatalogQuery) -> Option<String> {
        (q.limit <= MAX_ROWS).then(|| format!("{q:?}"))
    }

    pub fn get(&self, version: &str, key: &str) -> Option<CatalogResult> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.version != version {
            return None;
        }
        let (at, result) = inner.entries.get(key)?;
        (at.elapsed() < TTL).then(|| result.clone())
    }

    pub fn put(&self, version: String, key: String, result: CatalogResult) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.version != version || inner.entries.len() >= MAX_ENTRIES {
            inner.entries.clear();
            inner.version = version;
        }
        inner.entries.insert(key, (Instant::now(), result));
    }

    pub fn clear(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.entries.clear();
        inner.version.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(total: i64) -> CatalogResult {
        CatalogResult { total, ..Default::default() }
    }

    #[test]
    fn answers_only_for_the_version_they_were_computed_at() {
        let cache = SearchCache::default();
        cache.put("v1".into(), "k".into(), answer(7));
        assert_eq!(cache.get("v1", "k").map(|r| r.total), Some(7));
        assert!(cache.get("v2", "k").is_none(), "the catalog changed");
        assert!(cache.get("v1", "other").is_none());
        // A newer version replaces everything computed before it.
        cache.put("v2".into(), "k2".into(), answer(3));
        assert!(cache.get("v1", "k").is_none() && cache.get("v2", "k").is_none());
        assert_eq!(cache.get("v2", "k2").map(|r| r.total), Some(3));
        cache.clear();
        assert!(cache.get("v2", "k2").is_none());
    }

    #[test]
    fn memory_is_bounded() {
        let cache = SearchCache::default();
        for i in 0..MAX_ENTRIES + 10 {
            cache.put("v".into(), i.to_string(), answer(1));
        }
        assert!(cache.inner.lock().unwrap().entries.len() <= MAX_ENTRIES);
    }
}
