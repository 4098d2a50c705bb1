//! Webhook deliveries and their tries: the worker's side of the outbox.

use super::endpoints::EndpointRecord;
use super::{events, outbox, Result, Store, StoreError};
use crate::time::now_ms;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeliveryRecord {
    pub id: String,
    pub merchant_id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub session_id: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub lease_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WebhookAttemptRecord {
    pub id: String,
    pub delivery_id: String,
    pub attempted_at: i64,
    pub http_status: Option<i64>,
    pub latency_ms: i64,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

/// What became of one try.
#[derive(Clone, Debug, PartialEq)]
pub enum TryOutcome {
    Delivered,
    RetryAt(i64),
    /// Three days of failures: no more tries.
    GaveUp,
}

const DELIVERY_SELECT: &str = "SELECT id, merchant_id, endpoint_id, event_id, session_id, status, attempts,
    next_attempt_at, lease_until, created_at, updated_at FROM webhook_deliveries";

impl Store {
    /// A `webhook_endpoint.test` event sent to this endpoint only.
    pub async fn send_test_event(&self, endpoint: &EndpointRecord) -> Result<String> {
        let mut tx = self.begin().await?;
        let data = serde_json::json!({"endpoint_id": endpoint.id, "message": "A test event from Kassa."});
        let event_id = events::record_only(&mut tx, &endpoint.merchant_id, None, "webhook_endpoint.test", data).await?;
        let delivery = outbox::queue(&mut tx, &endpoint.merchant_id, &endpoint.id, &event_id, None).await?;
        tx.commit().await?;
        Ok(delivery)
    }

    /// Deliveries due at `now` that nobody holds, endpoints taking turns:
    /// each endpoint's oldest first, every endpoint's first before any
    /// endpoint's second, and no more than `turns` of one endpoint.
    pub async fn due_deliveries_in_turn(&self, now: i64, turns: i64, limit: i64) -> Result<Vec<DeliveryRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, merchant_id, endpoint_id, event_id, session_id, status, attempts, next_attempt_at,
                lease_until, created_at, updated_at FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, id) AS turn
                FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
             ) due WHERE turn <= $2 ORDER BY turn, next_attempt_at, id LIMIT $3",
        )
        .bind(now)
        .bind(turns)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// Holds a due delivery for `lease_ms`, unless another worker or process
    /// holds it already (one statement: one of them wins).
    pub async fn claim_delivery(&self, id: &str, now: i64, lease_ms: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE webhook_deliveries SET lease_until = $1
             WHERE id = $2 AND status = 'pending' AND (lease_until IS NULL OR lease_until < $3)",
        )
        .bind(now + lease_ms)
        .bind(id)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn delivery_by_id(&self, id: &str) -> Result<Option<DeliveryRecord>> {
        Ok(sqlx::query_as(&format!("{DELIVERY_SELECT} WHERE id = $1")).bind(id).fetch_optional(self.reader()).await?)
    }

    pub async fn delivery(&self, merchant_id: &str, id: &str) -> Result<Option<DeliveryRecord>> {
        Ok(self.delivery_by_id(id).await?.filter(|d| d.merchant_id == merchant_id))
    }

    /// Logs a try and moves the delivery (and its endpoint's health) on.
    pub async fn record_try(
        &self,
        delivery: &DeliveryRecord,
        attempt: &WebhookAttemptRecord,
        outcome: &TryOutcome,
        disable_after_ms: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO webhook_attempts (id, delivery_id, attempted_at, http_status, latency_ms, response_excerpt, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&attempt.id)
        .bind(&delivery.id)
        .bind(attempt.attempted_at)
        .bind(attempt.http_status)
        .bind(attempt.latency_ms)
        .bind(&attempt.response_excerpt)
        .bind(&attempt.error)
        .execute(tx.conn())
        .await?;
        let (status, next) = match outcome {
            TryOutcome::Delivered => ("succeeded", delivery.next_attempt_at),
            TryOutcome::RetryAt(at) => ("pending", *at),
            TryOutcome::GaveUp => ("failed", delivery.next_attempt_at),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, lease_until = NULL,
                updated_at = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(next)
        .bind(attempt.attempted_at)
        .bind(&delivery.id)
        .execute(tx.conn())
        .await?;
        let now = attempt.attempted_at;
        if *outcome == TryOutcome::Delivered {
            sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1")
                .bind(&delivery.endpoint_id)
                .execute(tx.conn())
                .await?;
        } else {
            sqlx::query("UPDATE webhook_endpoints SET failing_since = $1 WHERE id = $2 AND failing_since IS NULL")
                .bind(now)
                .bind(&delivery.endpoint_id)
                .execute(tx.conn())
                .await?;
            // Nothing got through for a whole retry window (this delivery's,
            // when it gives up): stop sending.
            let window_start = if *outcome == TryOutcome::GaveUp {
                sqlx::query_scalar("SELECT MIN(attempted_at) FROM webhook_attempts WHERE delivery_id = $1")
                    .bind(&delivery.id)
                    .fetch_one(tx.conn())
                    .await?
            } else {
                now - disable_after_ms
            };
            sqlx::query(
                "UPDATE webhook_endpoints SET status = 'disabled',
                    disabled_reason = 'every delivery failed for 3 days', updated_at = $1
                 WHERE id = $2 AND status = 'enabled' AND failing_since <= $3",
            )
            .bind(now)
            .bind(&delivery.endpoint_id)
            .bind(window_start)
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await
    }

    /// Gives up a pending delivery whose endpoint is no longer enabled.
    pub async fn cancel_delivery(&self, id: &str) -> Result<()> {
        sqlx::query(
            "UPDATE webhook_deliveries SET status = 'cancelled', lease_until = NULL, updated_at = $1
             WHERE id = $2 AND status = 'pending'",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Sends a delivery again now, whatever became of it before, while its
    /// endpoint is enabled (checked in the same statement).
    pub async fn redeliver(&self, merchant_id: &str, id: &str) -> Result<DeliveryRecord> {
        let result = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, lease_until = NULL, updated_at = $1
             WHERE id = $2 AND merchant_id = $3 AND EXISTS (SELECT 1 FROM webhook_endpoints e
                WHERE e.id = webhook_deliveries.endpoint_id AND e.status = 'enabled')",
        )
        .bind(now_ms())
        .bind(id)
        .bind(merchant_id)
        .execute(&self.write)
        .await?;
        let delivery = self.delivery(merchant_id, id).await?;
        match (result.rows_affected(), delivery) {
            (1, Some(delivery)) => Ok(delivery),
            (_, Some(_)) => Err(StoreError::EndpointNotEnabled),
            (_, None) => Err(StoreError::NotFound("webhook delivery", id.into())),
        }
    }

    pub async fn deliveries_of_session(&self, session_id: &str) -> Result<Vec<DeliveryRecord>> {
        Ok(sqlx::query_as(&format!("{DELIVERY_SELECT} WHERE session_id = $1 ORDER BY created_at, id"))
            .bind(session_id)
            .fetch_all(self.reader())
            .await?)
    }

    pub async fn deliveries_of_endpoint(&self, endpoint_id: &str, limit: i64) -> Result<Vec<DeliveryRecord>> {
        Ok(sqlx::query_as(&format!(
            "{DELIVERY_SELECT} WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(endpoint_id)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    pub async fn webhook_attempts(&self, delivery_id: &str) -> Result<Vec<WebhookAttemptRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, delivery_id, attempted_at, http_status, latency_ms, response_excerpt, error
             FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempted_at, id",
        )
        .bind(delivery_id)
        .fetch_all(self.reader())
        .await?)
    }
}
