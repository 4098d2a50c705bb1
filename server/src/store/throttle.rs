//! Counters for the limits that stop guessing: sign-in tries, failed
//! payments by address and by card, payment-link sessions by address. One
//! row a key (`email:…`, `ip:…`, `pay-ip:…`, `pay-card:…`, `link-ip:…`), with
//! the start of its window.

use super::{Result, Store};

impl Store {
    /// Counts one more try for `key` within its window (a fresh window once
    /// the old one is over): the count including this try, and when the
    /// window began. One statement, so parallel tries each see the others'
    /// (a row lock on PostgreSQL, the one writer on SQLite).
    pub async fn count_try(&self, key: &str, now: i64, window_ms: i64) -> Result<(i64, i64)> {
        Ok(sqlx::query_as(
            "INSERT INTO throttle (key, window_start, attempts) VALUES ($1, $2, 1)
             ON CONFLICT (key) DO UPDATE SET
                attempts = CASE WHEN throttle.window_start <= $3 THEN 1 ELSE throttle.attempts + 1 END,
                window_start = CASE WHEN throttle.window_start <= $3 THEN $2 ELSE throttle.window_start END
             RETURNING attempts, window_start",
        )
        .bind(key)
        .bind(now)
        .bind(now - window_ms)
        .fetch_one(&self.write)
        .await?)
    }

    /// Takes one try back: it turned out well (a right password, a payment
    /// that went through), so it is not held against the key.
    pub async fn forgive_try(&self, key: &str) -> Result<()> {
        sqlx::query("UPDATE throttle SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Starts `key` afresh.
    pub async fn forget_tries(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key).execute(&self.write).await?;
        Ok(())
    }

    /// Forgets the counters whose window began before `before`.
    pub async fn purge_throttle(&self, before: i64) -> Result<u64> {
        let result =
            sqlx::query("DELETE FROM throttle WHERE window_start < $1").bind(before).execute(&self.write).await?;
        Ok(result.rows_affected())
    }
}
