//! The receipt outbox.

use super::sessions::record_event;
use super::{Result, Store, Tx};
use crate::{ids::new_id, time::now_ms};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReceiptRecord {
    pub id: String,
    pub merchant_id: String,
    pub session_id: String,
    pub email: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub error: Option<String>,
    pub sent_at: Option<i64>,
    pub created_at: i64,
}

const RECEIPT_SELECT: &str =
    "SELECT id, merchant_id, session_id, email, status, attempts, next_attempt_at, error, sent_at,
    created_at FROM receipts";

/// Queues a receipt inside the caller's transaction.
pub(super) async fn queue(tx: &mut Tx, merchant_id: &str, session_id: &str, email: &str) -> Result<String> {
    let id = new_id("rc");
    let now = now_ms();
    sqlx::query(
        "INSERT INTO receipts (id, merchant_id, session_id, email, status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
    )
    .bind(&id)
    .bind(merchant_id)
    .bind(session_id)
    .bind(email)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(id)
}

impl Store {
    /// Sends the receipt again (the dashboard's "resend receipt").
    pub async fn resend_receipt(&self, merchant_id: &str, session_id: &str, email: &str) -> Result<String> {
        let mut tx = self.begin().await?;
        let id = queue(&mut tx, merchant_id, session_id, email).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Receipts due at `now`, held by this worker for `lease_ms`.
    pub async fn claim_due_receipts(&self, now: i64, limit: i64, lease_ms: i64) -> Result<Vec<ReceiptRecord>> {
        let mut claimed = Vec::new();
        for id in self.claim_due("receipts", now, limit, lease_ms).await? {
            claimed.extend(
                sqlx::query_as(&format!("{RECEIPT_SELECT} WHERE id = $1"))
                    .bind(&id)
                    .fetch_optional(self.reader())
                    .await?,
            );
        }
        Ok(claimed)
    }

    pub async fn receipt_sent(&self, receipt: &ReceiptRecord) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE receipts SET status = 'sent', sent_at = $1, attempts = attempts + 1, lease_until = NULL WHERE id = $2")
            .bind(now_ms())
            .bind(&receipt.id)
            .execute(tx.conn())
            .await?;
        let data = serde_json::json!({"receipt_id": receipt.id, "email": receipt.email});
        record_event(&mut tx, &receipt.merchant_id, &receipt.session_id, "receipt.sent", data).await?;
        tx.commit().await
    }

    /// A failed send: tried again later, up to a day.
    pub async fn receipt_failed(&self, receipt: &ReceiptRecord, error: &str, retry_at: Option<i64>) -> Result<()> {
        sqlx::query(
            "UPDATE receipts SET status = $1, error = $2, attempts = attempts + 1, next_attempt_at = $3, lease_until = NULL
             WHERE id = $4",
        )
        .bind(if retry_at.is_some() { "pending" } else { "failed" })
        .bind(error)
        .bind(retry_at.unwrap_or(receipt.next_attempt_at))
        .bind(&receipt.id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    pub async fn receipts_of(&self, session_id: &str) -> Result<Vec<ReceiptRecord>> {
        Ok(sqlx::query_as(&format!("{RECEIPT_SELECT} WHERE session_id = $1 ORDER BY created_at, id"))
            .bind(session_id)
            .fetch_all(self.reader())
            .await?)
    }

    pub async fn session_by_portal_token(&self, token: &str) -> Result<Option<super::SessionRecord>> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM checkout_sessions WHERE portal_token = $1")
            .bind(token)
            .fetch_optional(self.reader())
            .await?;
        match id {
            Some(id) => self.session(&id).await,
            None => Ok(None),
        }
    }
}
