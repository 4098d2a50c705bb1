//! `Idempotency-Key`: the key is claimed in the same transaction that makes
//! the change and stores its answer, so a retry gets that answer, and two
//! requests racing with one key make one change.

use super::{Result, Store, Tx};
use crate::time::now_ms;

#[derive(Clone, Debug, PartialEq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IdempotencyClaim {
    /// First use: go ahead, inside this transaction.
    Claimed,
    /// Seen before with the same body: here is the answer given then.
    Replay(StoredResponse),
    /// Seen before with another body.
    Mismatch,
    /// The first request with this key has not finished yet.
    InProgress,
}

impl Store {
    pub async fn claim_idempotency_key(
        tx: &mut Tx,
        merchant_id: &str,
        key: &str,
        digest: &str,
    ) -> Result<IdempotencyClaim> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (merchant_id, key, request_digest, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (merchant_id, key) DO NOTHING",
        )
        .bind(merchant_id)
        .bind(key)
        .bind(digest)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        let (stored_digest, status, body): (String, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT request_digest, status_code, response_body FROM idempotency_keys WHERE merchant_id = $1 AND key = $2",
        )
        .bind(merchant_id)
        .bind(key)
        .fetch_one(tx.conn())
        .await?;
        if stored_digest != digest {
            return Ok(IdempotencyClaim::Mismatch);
        }
        Ok(match (status.and_then(|s| u16::try_from(s).ok()), body) {
            (Some(status), Some(body)) => IdempotencyClaim::Replay(StoredResponse { status, body }),
            _ => IdempotencyClaim::InProgress,
        })
    }

    /// Claims a key in a transaction of its own, for changes that commit on
    /// their own and may safely run again. A claim still in progress after
    /// `stale_after_ms` was left by a request that died (a crash, a kill):
    /// this request takes it over and runs the change again.
    pub async fn claim_idempotency_key_now(
        &self,
        merchant_id: &str,
        key: &str,
        digest: &str,
        stale_after_ms: i64,
    ) -> Result<IdempotencyClaim> {
        let mut tx = self.begin().await?;
        let mut claim = Store::claim_idempotency_key(&mut tx, merchant_id, key, digest).await?;
        if claim == IdempotencyClaim::InProgress {
            let now = now_ms();
            let taken = sqlx::query(
                "UPDATE idempotency_keys SET created_at = $1
                 WHERE merchant_id = $2 AND key = $3 AND status_code IS NULL AND created_at < $4",
            )
            .bind(now)
            .bind(merchant_id)
            .bind(key)
            .bind(now - stale_after_ms)
            .execute(tx.conn())
            .await?;
            if taken.rows_affected() == 1 {
                claim = IdempotencyClaim::Claimed;
            }
        }
        tx.commit().await?;
        Ok(claim)
    }

    pub async fn store_idempotent_response_now(
        &self,
        merchant_id: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        Store::store_idempotent_response(&mut tx, merchant_id, key, response).await?;
        tx.commit().await
    }

    pub async fn store_idempotent_response(
        tx: &mut Tx,
        merchant_id: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET status_code = $1, response_body = $2 WHERE merchant_id = $3 AND key = $4",
        )
        .bind(i64::from(response.status))
        .bind(&response.body)
        .bind(merchant_id)
        .bind(key)
        .execute(tx.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    /// Forgets a claimed key whose request was refused before changing anything.
    pub async fn release_idempotency_key(&self, merchant_id: &str, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND status_code IS NULL")
            .bind(merchant_id)
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
