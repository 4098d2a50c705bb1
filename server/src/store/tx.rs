//! The store's unit of work: a transaction that marks every session it
//! loads as changing (see `cache.rs`) and clears the marks only once it has
//! committed, so no change, however it is composed, can leave a reader with
//! the session as it was. Its connection stays inside the store.

use super::cache::{Changing, SessionCache};
use super::Result;
use sqlx::{AnyConnection, AnyPool};
use std::sync::Arc;

pub struct Tx {
    // Dropped before the marks: a rollback is queued on the writer ahead of
    // the marks' wait for it (see `Changing`'s drop).
    inner: sqlx::Transaction<'static, sqlx::Any>,
    cache: Option<(Arc<SessionCache>, AnyPool)>,
    changing: Vec<(String, Changing)>,
}

impl Tx {
    pub(super) async fn begin(write: &AnyPool, cache: Option<&Arc<SessionCache>>) -> Result<Tx> {
        let inner = write.begin().await?;
        Ok(Tx { inner, cache: cache.map(|c| (c.clone(), write.clone())), changing: Vec::new() })
    }

    pub(super) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }

    pub(super) fn is_sqlite(&self) -> bool {
        self.inner.backend_name() == "SQLite"
    }

    /// Marks the session as changing until this transaction ends; taken
    /// before any of its rows (session, attempts, payment) is written.
    pub(super) fn mark_changing(&mut self, id: &str) {
        let Some((cache, writer)) = &self.cache else { return };
        if self.changing.iter().all(|(marked, _)| marked != id) {
            self.changing.push((id.to_string(), cache.changing(id, writer)));
        }
    }

    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        for (_, changing) in self.changing {
            changing.finish();
        }
        Ok(())
    }
}
