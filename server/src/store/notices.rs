//! What a refused form leaves for the page it returns to (see migration
//! 0014): one row a key, replaced by the next refusal, gone once it has been
//! acted on or after [`NOTICE_LIFETIME_MS`].

use super::{Result, Store};

/// How long a refused form's notice waits for its page.
pub const NOTICE_LIFETIME_MS: i64 = 30 * 60 * 1000;

impl Store {
    /// Keeps `body` under `key`, replacing what was there.
    pub async fn keep_notice(&self, key: &str, body: &str, now: i64) -> Result<()> {
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
        Ok(sqlx::query_scalar("SELECT body FROM form_notices WHERE key = $1 AND expires_at > $2")
            .bind(key)
            .bind(now)
            .fetch_optional(&self.read)
            .await?)
    }

    /// The notice under `key`, read once: it is gone after.
    pub async fn take_notice(&self, key: &str, now: i64) -> Result<Option<String>> {
        Ok(sqlx::query_as("DELETE FROM form_notices WHERE key = $1 RETURNING body, expires_at")
            .bind(key)
            .fetch_optional(&self.write)
            .await?
            .and_then(|(body, expires_at): (String, i64)| (expires_at > now).then_some(body)))
    }

    pub async fn drop_notice(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM form_notices WHERE key = $1").bind(key).execute(&self.write).await?;
        Ok(())
    }

    pub async fn purge_notices(&self, now: i64) -> Result<u64> {
        let result =
            sqlx::query("DELETE FROM form_notices WHERE expires_at <= $1").bind(now).execute(&self.write).await?;
        Ok(result.rows_affected())
    }
}
