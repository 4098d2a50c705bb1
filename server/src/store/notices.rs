//! What a refused form leaves for the page it returns to (see migration
//! 0014): one row a key, replaced by the next refusal, gone once it has been
//! acted on or after [`NOTICE_LIFETIME_MS`].

use super::{Result, Store};
use sqlx::AnyPool;
use std::sync::atomic::{AtomicI64, Ordering};

/// How many notices may be stored, when this process is the database's only
/// writer (SQLite): never fewer than there are, so at none the hosted page,
/// read on every visit, skips the lookup. Unknown (`None`) on PostgreSQL,
/// where other processes write too.
#[derive(Debug, Default)]
pub(super) struct Held(Option<AtomicI64>);

impl Held {
    pub(super) async fn counted(write: &AnyPool) -> Result<Held> {
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM form_notices").fetch_one(write).await?;
        Ok(Held(Some(AtomicI64::new(stored))))
    }

    fn none_stored(&self) -> bool {
        self.0.as_ref().is_some_and(|n| n.load(Ordering::Acquire) <= 0)
    }

    fn add(&self, n: i64) {
        if let Some(held) = &self.0 {
            held.fetch_add(n, Ordering::AcqRel);
        }
    }
}

/// How long a refused form's notice waits for its page.
pub const NOTICE_LIFETIME_MS: i64 = 30 * 60 * 1000;

impl Store {
    /// Keeps `body` under `key`, replacing what was there.
    pub async fn keep_notice(&self, key: &str, body: &str, now: i64) -> Result<()> {
        // Counted first: a reader that finds it counted may find no row yet,
        // never the other way round.
        self.notices.add(1);
        sqlx::query(
            "INSERT INTO form_notices (key, body, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at",
        )
        .bind(key)
        .bind(body)
        .bind(now + NOTICE_LIFETIME_MS)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The notice under `key`, unless it has run out.
    pub async fn notice(&self, key: &str, now: i64) -> Result<Option<String>> {
        if self.notices.none_stored() {
            return Ok(None);
        }
        Ok(sqlx::query_scalar("SELECT body FROM form_notices WHERE key = $1 AND expires_at > $2")
            .bind(key)
            .bind(now)
            .fetch_optional(&self.read)
            .await?)
    }

    /// The notice under `key`, read once: it is gone after.
    pub async fn take_notice(&self, key: &str, now: i64) -> Result<Option<String>> {
        if self.notices.none_stored() {
            return Ok(None);
        }
        let taken: Option<(String, i64)> =
            sqlx::query_as("DELETE FROM form_notices WHERE key = $1 RETURNING body, expires_at")
                .bind(key)
                .fetch_optional(&self.write)
                .await?;
        if taken.is_some() {
            self.notices.add(-1);
        }
        Ok(taken.and_then(|(body, expires_at)| (expires_at > now).then_some(body)))
    }

    pub async fn drop_notice(&self, key: &str) -> Result<()> {
        if self.notices.none_stored() {
            return Ok(());
        }
        let result = sqlx::query("DELETE FROM form_notices WHERE key = $1").bind(key).execute(&self.write).await?;
        self.notices.add(-(result.rows_affected() as i64));
        Ok(())
    }

    pub async fn purge_notices(&self, now: i64) -> Result<u64> {
        let result =
            sqlx::query("DELETE FROM form_notices WHERE expires_at <= $1").bind(now).execute(&self.write).await?;
        self.notices.add(-(result.rows_affected() as i64));
        Ok(result.rows_affected())
    }
}
