//! Sessions as last read, so the status API and the customer's pages need
//! not ask SQLite again for a session nothing has changed. Only when Kassa is
//! the one process writing the database (SQLite, held by a lock file): on
//! PostgreSQL other processes write too, and every read goes to it.
//!
//! Exact, not timed: every change to a session (its row, its attempts, its
//! payment) is made under a [`Changing`] guard on the session's stripe,
//! taken before the change is written and finished after it commits. A
//! stripe counts changes in flight and changes done; a cached record is good
//! only while its stripe reads the same as when the record was read, with
//! nothing in flight. A guard dropped unfinished (an error, or a request
//! cancelled while its COMMIT may still run on the connection's thread)
//! stays in flight until the writer has done everything it was given.

use super::SessionRecord;
use sqlx::{AnyPool, Executor};
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

const STRIPES: usize = 256;
/// Low bits: changes in flight; the rest: changes done.
const IN_FLIGHT: u64 = (1 << 16) - 1;
const DONE: u64 = 1 << 16;
/// Beyond this many sessions the cache starts again; the hot ones come back.
const CAPACITY: usize = 20_000;

pub struct SessionCache {
    stripes: Box<[AtomicU64]>,
    hasher: RandomState,
    entries: Mutex<HashMap<String, (u64, SessionRecord)>>,
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache {
            stripes: (0..STRIPES).map(|_| AtomicU64::new(0)).collect(),
            hasher: RandomState::new(),
            entries: Mutex::new(HashMap::new()),
        }
    }
}

/// Held while a change to one session is written and committed; call
/// [`Changing::finish`] once the commit has returned.
pub struct Changing {
    held: Option<(Arc<SessionCache>, usize, AnyPool)>,
    finished: bool,
}

impl Changing {
    /// No cache, nothing to mark (PostgreSQL).
    pub(super) fn none() -> Changing {
        Changing { held: None, finished: false }
    }

    pub fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for Changing {
    fn drop(&mut self) {
        let Some((cache, stripe, writer)) = self.held.take() else { return };
        let done = move || cache.stripes[stripe].fetch_add(DONE - 1, Ordering::AcqRel);
        if self.finished {
            done();
            return;
        }
        // The one writing connection runs its statements in order: once it
        // has answered a statement queued after ours, our COMMIT (or
        // ROLLBACK) is behind it, whatever happened to the request.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Ok(mut connection) = writer.acquire().await {
                        let _ = connection.execute("SELECT 1").await;
                    }
                    done();
                });
            }
            Err(_) => {
                done();
            }
        }
    }
}

impl SessionCache {
    fn index(&self, id: &str) -> usize {
        self.hasher.hash_one(id) as usize % STRIPES
    }

    fn stripe(&self, id: &str) -> &AtomicU64 {
        &self.stripes[self.index(id)]
    }

    /// Marks `id` as changing until the guard is finished (or, dropped
    /// unfinished, until `writer` has caught up).
    pub(super) fn changing(self: &Arc<Self>, id: &str, writer: &AnyPool) -> Changing {
        let index = self.index(id);
        self.stripes[index].fetch_add(1, Ordering::AcqRel);
        Changing { held: Some((self.clone(), index, writer.clone())), finished: false }
    }

    /// Where `id`'s stripe stands: read before the database is.
    pub fn mark(&self, id: &str) -> u64 {
        self.stripe(id).load(Ordering::Acquire)
    }

    pub fn get(&self, id: &str) -> Option<SessionRecord> {
        let now = self.mark(id);
        if now & IN_FLIGHT != 0 {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(id).filter(|(mark, _)| *mark == now).map(|(_, record)| record.clone())
    }

    /// Keeps `record`, read after `mark`, unless a change began since.
    pub fn keep(&self, id: &str, mark: u64, record: &SessionRecord) {
        if mark & IN_FLIGHT != 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if self.mark(id) != mark {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(id.to_string(), (mark, record.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, updated_at: i64) -> SessionRecord {
        SessionRecord { id: id.into(), updated_at, ..SessionRecord::default() }
    }

    async fn writer() -> AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::any::AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap()
    }

    #[tokio::test]
    async fn a_record_read_before_a_change_is_never_served_after_it() {
        let (cache, writer) = (Arc::new(SessionCache::default()), writer().await);
        // Read, then kept: served.
        let mark = cache.mark("cs_1");
        cache.keep("cs_1", mark, &record("cs_1", 1));
        assert_eq!(cache.get("cs_1").map(|r| r.updated_at), Some(1));

        // A change begins: nothing served while it is in flight…
        let change = cache.changing("cs_1", &writer);
        assert!(cache.get("cs_1").is_none());
        // …and a read made meanwhile is not kept.
        let during = cache.mark("cs_1");
        cache.keep("cs_1", during, &record("cs_1", 1));
        change.finish();
        assert!(cache.get("cs_1").is_none(), "the old record is gone once the change is done");

        // A read that began before a change and ends after it is not kept.
        let before = cache.mark("cs_1");
        cache.changing("cs_1", &writer).finish();
        cache.keep("cs_1", before, &record("cs_1", 1));
        assert!(cache.get("cs_1").is_none());

        // Two changes overlapping on one stripe: in flight until both end.
        let (a, b) = (cache.changing("cs_1", &writer), cache.changing("cs_1", &writer));
        a.finish();
        assert!(cache.mark("cs_1") & IN_FLIGHT != 0);
        b.finish();
        let after = cache.mark("cs_1");
        cache.keep("cs_1", after, &record("cs_1", 2));
        assert_eq!(cache.get("cs_1").map(|r| r.updated_at), Some(2));
    }

    #[tokio::test]
    async fn a_change_dropped_unfinished_stays_in_flight_until_the_writer_caught_up() {
        let (cache, writer) = (Arc::new(SessionCache::default()), writer().await);
        let busy = writer.acquire().await.unwrap(); // the writer is still busy with it
        drop(cache.changing("cs_1", &writer));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(cache.mark("cs_1") & IN_FLIGHT != 0, "still in flight while the writer is busy");
        drop(busy);
        for _ in 0..100 {
            if cache.mark("cs_1") & IN_FLIGHT == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("never finished");
    }
}
