//! A processor's payments that need a second look. One Kassa stopped
//! waiting for (it failed here: its checkout closed during 3-D Secure, or
//! its answer was a decline) while the processor may still hold or take
//! the money is let go at the processor once, and a payment that went
//! through anyway is given back once, with an event the merchant sees. A
//! challenge left open is read back now and then, in case its answer was
//! lost on the way.

use super::attempts::AttemptRecord;
use super::sessions::{load, record_event};
use super::{Result, Store};
use crate::time::now_ms;
use serde_json::json;

impl Store {
    /// Failed attempts at a processor that Kassa has not yet let go there
    /// (and is not waiting to try again).
    pub async fn attempts_to_release(&self, now: i64, limit: i64) -> Result<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE status = 'failed' AND provider_ref IS NOT NULL AND released_at IS NULL
               AND (next_check_at IS NULL OR next_check_at <= $1)
             ORDER BY updated_at LIMIT $2",
            super::attempts::ATTEMPT_SELECT
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// Challenges at a processor open since before `opened_before`, or due
    /// their next read.
    pub async fn challenges_to_read_back(
        &self,
        opened_before: i64,
        now: i64,
        limit: i64,
    ) -> Result<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE status = 'requires_action' AND provider_ref IS NOT NULL
               AND updated_at < $1 AND (next_check_at IS NULL OR next_check_at <= $2)
             ORDER BY updated_at LIMIT $3",
            super::attempts::ATTEMPT_SELECT
        ))
        .bind(opened_before)
        .bind(now)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// Payments at a processor whose charge Kassa has not looked up yet:
    /// (payment, attempt, session) ids.
    pub async fn payments_without_charge(&self, now: i64, limit: i64) -> Result<Vec<(String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, attempt_id, session_id FROM payments WHERE provider_ref IS NOT NULL AND provider_charge IS NULL
               AND (charge_check_after IS NULL OR charge_check_after <= $1) ORDER BY created_at LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// Keeps the processor's charge of a payment (`""`: it has none), or,
    /// with `None`, when to look again.
    pub async fn set_payment_charge(
        &self,
        (payment_id, session_id): (&str, &str),
        charge: Option<&str>,
        retry_at: i64,
    ) -> Result<()> {
        // The session's record carries its payment's ids: a cached copy must go.
        let changing = self.changing_session(session_id);
        sqlx::query(
            "UPDATE payments SET provider_charge = $1, charge_check_after = $2 WHERE id = $3 AND provider_charge IS NULL",
        )
        .bind(charge)
        .bind(retry_at)
        .bind(payment_id)
        .execute(&self.write)
        .await?;
        changing.finish();
        Ok(())
    }

    /// Asks about the attempt again no sooner than `at` (its status unchanged).
    pub async fn check_again_at(&self, attempt: &AttemptRecord, at: i64) -> Result<()> {
        sqlx::query("UPDATE payment_attempts SET next_check_at = $1 WHERE id = $2 AND status = $3")
            .bind(at)
            .bind(&attempt.id)
            .bind(attempt.status.as_str())
            .execute(&self.write)
            .await?;
        Ok(())
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
