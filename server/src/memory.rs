//! Memory given back to the system after a burst. glibc's allocator keeps what a thread freed in
//! that thread's arena, and after the first large block is freed it raises its threshold for
//! serving large blocks from the arenas instead of from the system: after a minute of sign-ins
//! (each Argon2 hash takes 19 MiB, on the blocking threads), searches and pages, the release
//! server held 430 MB of which 6 MB were in use (`malloc_stats`), and kept it. Large blocks now
//! always come from the system and go back to it when freed, and the arenas' free pages are
//! returned every few seconds. Since the server binary allocates through mimalloc (`main.rs`),
//! this governs what still uses glibc's allocator: SQLite and the other C code, and the tests.

use std::time::Duration;

/// Blocks of at least this size are mapped from the system on their own and unmapped when freed.
const LARGE_BLOCK: i32 = 1 << 20;

/// Fixes the allocator's large-block threshold (glibc would raise it after the first large free).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; it is safe to call at any time.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BLOCK);
    }
}

/// Every `period`, hands the free pages of every arena back to the system (on a blocking thread:
/// a trim walks the heaps).
pub fn give_back_every(period: Duration) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // SAFETY: malloc_trim only returns free memory; it takes the arenas' own locks.
            let _ = tokio::task::spawn_blocking(|| unsafe { libc::malloc_trim(0) }).await;
        }
    });
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = period;
}
