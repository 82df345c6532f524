//! Catalog area: reads of the catalog's version shared by concurrent searches. A search needs a
//! read of `MAX(updated_at)` that *began after the search did* — then it sees every change
//! committed before it, on any app server. One read can serve every search that arrived while the
//! previous read was running: under load, one read per read's duration instead of one per
//! search; alone, a search reads exactly as before.

use std::sync::Mutex;

use app::ports::{StoreError, StoreResult};
use chrono::{DateTime, Utc};

/// What a read of the version gives.
pub(super) type Version = Option<DateTime<Utc>>;

#[derive(Default)]
pub struct VersionReads {
    state: Mutex<Reads>,
    finished_one: tokio::sync::Notify,
}

#[derive(Default)]
struct Reads {
    /// A read is running (its number is `started`).
    running: bool,
    /// Reads are numbered from 1 in the order they began.
    started: u64,
    /// The number of the newest read that completed, and what it gave.
    finished: u64,
    last: Option<Result<Version, String>>,
}

impl VersionReads {
    /// The catalog's version as read by `read` — this caller's own read, or one that began after
    /// this call did and that another caller is making.
    pub(super) async fn read<F>(&self, read: impl Fn() -> F) -> StoreResult<Version>
    where
        F: Future<Output = StoreResult<Version>>,
    {
        let lock = || self.state.lock().unwrap_or_else(|e| e.into_inner());
        // The read this call may take: the next one to begin.
        let wanted = lock().started + 1;
        loop {
            let finished_one = self.finished_one.notified();
            tokio::pin!(finished_one);
            finished_one.as_mut().enable();
            let lead = {
                let mut reads = lock();
                if reads.finished >= wanted
                    && let Some(last) = &reads.last
                {
                    return last.clone().map_err(|e| StoreError::Backend(e.into()));
                }
                let free = !reads.running;
                if free {
                    reads.running = true;
                    reads.started += 1;
                }
                free
            };
            if lead {
                let mut lead = Lead { reads: self, done: false };
                let result = read().await;
                lead.finish(&result);
                return result;
            }
            finished_one.await;
        }
    }
}

/// The running read: when it completes its result is left for the others; when the caller that
/// makes it goes away first (a cancelled request), another caller takes over.
struct Lead<'a> {
    reads: &'a VersionReads,
    done: bool,
}

impl Lead<'_> {
    fn finish(&mut self, result: &StoreResult<Version>) {
        let mut reads = self.reads.state.lock().unwrap_or_else(|e| e.into_inner());
        reads.finished = reads.started;
        reads.last = Some(result.as_ref().map(|v| *v).map_err(ToString::to_string));
        reads.running = false;
        drop(reads);
        self.done = true;
        self.reads.finished_one.notify_waiters();
    }
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.reads.state.lock().unwrap_or_else(|e| e.into_inner()).running = false;
            self.reads.finished_one.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    use super::*;

    fn at(n: u64) -> Version {
        DateTime::from_timestamp(n as i64, 0)
    }

    /// Callers arriving while a read runs share the next read, never the one already running.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_callers_share_a_read_that_began_after_them() {
        let reads = Arc::new(VersionReads::default());
        let made = Arc::new(AtomicU64::new(0));
        let read = {
            let made = made.clone();
            move || {
                let made = made.clone();
                async move {
                    let n = made.fetch_add(1, Ordering::SeqCst) + 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok(at(n))
                }
            }
        };
        // The first caller starts read 1; 20 callers arrive while it runs.
        let first = tokio::spawn({
            let (reads, read) = (reads.clone(), read.clone());
            async move { reads.read(read).await.unwrap() }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let later: Vec<_> = (0..20)
            .map(|_| {
                let (reads, read) = (reads.clone(), read.clone());
                tokio::spawn(async move { reads.read(read).await.unwrap() })
            })
            .collect();
        assert_eq!(first.await.unwrap(), at(1));
        for caller in later {
            assert_eq!(caller.await.unwrap(), at(2), "a read that began after the caller did");
        }
        assert_eq!(made.load(Ordering::SeqCst), 2, "the 20 shared one read");
        // Alone, a caller makes its own read.
        assert_eq!(reads.read(read).await.unwrap(), at(3));
    }

    /// A caller whose request goes away mid-read does not leave the others waiting; errors reach
    /// everyone who shared the read.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancelled_read_is_taken_over_and_errors_are_shared() {
        let reads = Arc::new(VersionReads::default());
        let slow = || async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(at(1))
        };
        let cancelled = tokio::spawn({
            let reads = reads.clone();
            async move { reads.read(slow).await }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let failing = || async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(StoreError::Corrupt("unreadable".into()))
        };
        let waiting: Vec<_> = (0..3)
            .map(|_| {
                let reads = reads.clone();
                tokio::spawn(async move { reads.read(failing).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(10)).await;
        cancelled.abort();
        for caller in waiting {
            let answer = tokio::time::timeout(Duration::from_secs(5), caller).await.expect("not left waiting");
            assert!(answer.unwrap().unwrap_err().to_string().contains("unreadable"));
        }
    }
}
