//! A processor's payments Kassa stopped waiting for: an attempt that failed
//! in Kassa (its checkout closed during 3-D Secure, or its answer was a
//! decline) while the processor may still hold or take the money. They are
//! let go at the processor once, and a payment that went through anyway is
//! given back once, with an event the merchant sees.

use super::attempts::AttemptRecord;
use super::sessions::{load, record_event};
use super::{Result, Store};
use crate::time::now_ms;
use serde_json::json;

impl Store {
    /// Failed attempts at a processor that Kassa has not yet let go there.
    pub async fn attempts_to_release(&self, limit: i64) -> Result<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE status = 'failed' AND provider_ref IS NOT NULL AND released_at IS NULL
             ORDER BY updated_at LIMIT $1",
            super::attempts::ATTEMPT_SELECT
        ))
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    pub async fn mark_released(&self, attempt_id: &str) -> Result<()> {
        sqlx::query("UPDATE payment_attempts SET released_at = $1 WHERE id = $2 AND released_at IS NULL")
            .bind(now_ms())
            .bind(attempt_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Records that the money of `attempt`, taken after Kassa stopped
    /// waiting for it, was given back (`reference`: the processor's refund);
    /// false when that was recorded before.
    pub async fn record_late_refund(&self, attempt: &AttemptRecord, reference: &str, amount: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let session = load(&mut tx, &attempt.session_id).await?;
        let result = sqlx::query(
            "UPDATE payment_attempts SET late_refund_ref = $1, released_at = COALESCE(released_at, $2)
             WHERE id = $3 AND late_refund_ref IS NULL",
        )
        .bind(reference)
        .bind(now_ms())
        .bind(&attempt.id)
        .execute(tx.conn())
        .await?;
        if result.rows_affected() != 1 {
            return Ok(false);
        }
        let data = json!({"attempt_id": attempt.id, "amount": amount, "provider_refund": reference,
            "reason": "paid_after_kassa_stopped_waiting"});
        record_event(&mut tx, &session.merchant_id, &session.id, "payment_attempt.refunded", data).await?;
        tx.commit().await?;
        Ok(true)
    }
}
