//! Sessions as last read, so the status API and the customer's pages need
//! not ask SQLite again for a session nothing has changed. Only when Kassa is
//! the one process writing the database (SQLite, held by a lock file): on
//! PostgreSQL other processes write too, and every read goes to it.
//!
//! Exact, not timed: every change to a session (its row, its attempts, its
//! payment) is made under a [`Changing`] guard on the session's stripe,
//! taken before the change is written and let go after it commits. A stripe
//! counts changes in flight and changes done; a cached record is good only
//! while its stripe reads the same as when the record was read, with nothing
//! in flight.

use super::SessionRecord;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

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

/// Held while a change to one session is written and committed.
pub struct Changing<'a>(&'a AtomicU64);

impl Drop for Changing<'_> {
    fn drop(&mut self) {
        // One change done, one fewer in flight: committed or rolled back.
        self.0.fetch_add(DONE - 1, Ordering::AcqRel);
    }
}

impl SessionCache {
    fn stripe(&self, id: &str) -> &AtomicU64 {
        &self.stripes[self.hasher.hash_one(id) as usize % STRIPES]
    }

    /// Marks `id` as changing until the guard is dropped, after the commit.
    pub fn changing(&self, id: &str) -> Changing<'_> {
        let stripe = self.stripe(id);
        stripe.fetch_add(1, Ordering::AcqRel);
        Changing(stripe)
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

    #[test]
    fn a_record_read_before_a_change_is_never_served_after_it() {
        let cache = SessionCache::default();
        // Read, then kept: served.
        let mark = cache.mark("cs_1");
        cache.keep("cs_1", mark, &record("cs_1", 1));
        assert_eq!(cache.get("cs_1").map(|r| r.updated_at), Some(1));

        // A change begins: nothing served while it is in flight…
        let change = cache.changing("cs_1");
        assert!(cache.get("cs_1").is_none());
        // …and a read made meanwhile is not kept.
        let during = cache.mark("cs_1");
        cache.keep("cs_1", during, &record("cs_1", 1));
        drop(change);
        assert!(cache.get("cs_1").is_none(), "the old record is gone once the change is done");

        // A read that began before a change and ends after it is not kept.
        let before = cache.mark("cs_1");
        drop(cache.changing("cs_1"));
        cache.keep("cs_1", before, &record("cs_1", 1));
        assert!(cache.get("cs_1").is_none());

        // Two changes overlapping on one stripe: in flight until both end.
        let (a, b) = (cache.changing("cs_1"), cache.changing("cs_1"));
        drop(a);
        assert!(cache.mark("cs_1") & IN_FLIGHT != 0);
        drop(b);
        let after = cache.mark("cs_1");
        cache.keep("cs_1", after, &record("cs_1", 2));
        assert_eq!(cache.get("cs_1").map(|r| r.updated_at), Some(2));
    }
}
