//! Catalog search answers (rows and facet counts) kept in memory for a few seconds.
//!
//! Facet counts over a large catalog cost several scans; most visitors ask the same few
//! questions (a category, a popular word). An answer is reused only while the catalog's version —
//! the newest `products.updated_at`, which every price, stock or reservation change moves, on
//! whichever app server made it — is the one it was computed at, and never longer than [`TTL`]
//! (a bound for writers whose clocks lag). Writes through this server also drop it at once.
//! Concurrent misses of one question wait for a single computation instead of all running it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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
    /// One lock per question being computed right now.
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
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

    /// Held while computing the answer to `key`; others asking the same wait, then find it cached.
    pub async fn computing(&self, key: &str) -> Flight<'_> {
        let lock = {
            let mut inflight = self.inflight.lock().unwrap_or_else(|e| e.into_inner());
            inflight.entry(key.to_string()).or_default().clone()
        };
        let guard = lock.clone().lock_owned().await;
        Flight { cache: self, key: key.to_string(), lock, _guard: guard }
    }

    pub fn clear(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.entries.clear();
        inner.version.clear();
    }
}

pub struct Flight<'a> {
    cache: &'a SearchCache,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        // The last one out removes the lock (the map holds one reference, this flight another).
        let mut inflight = self.cache.inflight.lock().unwrap_or_else(|e| e.into_inner());
        if Arc::strong_count(&self.lock) <= 3 {
            inflight.remove(&self.key);
        }
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

    #[tokio::test]
    async fn one_computation_per_question_at_a_time() {
        let cache = Arc::new(SearchCache::default());
        let first = cache.computing("k").await;
        let waiter = {
            let cache = cache.clone();
            tokio::spawn(async move {
                let _flight = cache.computing("k").await;
                cache.get("v", "k").map(|r| r.total)
            })
        };
        tokio::task::yield_now().await;
        cache.put("v".into(), "k".into(), answer(5));
        drop(first);
        assert_eq!(waiter.await.unwrap(), Some(5), "the waiter finds the first one's answer");
        assert!(cache.inflight.lock().unwrap().is_empty(), "no lock is left behind");
    }
}
