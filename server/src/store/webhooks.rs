//! Webhook endpoints, deliveries and their tries.

use super::{events::EventRecord, expect_one, placeholders, Result, Store, StoreError, Tx};
use crate::{ids::new_id, time::now_ms};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EndpointRecord {
    pub id: String,
    pub merchant_id: String,
    pub url: String,
    pub description: Option<String>,
    pub event_types: String,
    pub status: String,
    pub disabled_reason: Option<String>,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    pub previous_secret_expires_at: Option<i64>,
    pub failing_since: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl EndpointRecord {
    pub fn wants(&self, kind: &str) -> bool {
        self.event_types == "*" || self.event_types.split(' ').any(|t| t == kind)
    }
}

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

/// Changes to an endpoint; None leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct EndpointChange {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<String>,
    pub enabled: Option<bool>,
}

const ENDPOINT_SELECT: &str = "SELECT id, merchant_id, url, description, event_types, status, disabled_reason,
    secret_sealed, previous_secret_sealed, previous_secret_expires_at, failing_since, created_at, updated_at
    FROM webhook_endpoints";
const DELIVERY_SELECT: &str = "SELECT id, merchant_id, endpoint_id, event_id, session_id, status, attempts,
    next_attempt_at, lease_until, created_at, updated_at FROM webhook_deliveries";

/// Queues the event for every enabled endpoint of the merchant that wants it,
/// inside the event's own transaction.
/// An event just written, for the endpoints that want it.
pub(super) struct Written<'a> {
    pub merchant_id: &'a str,
    pub event_id: &'a str,
    pub session_id: &'a str,
    pub kind: &'a str,
}

/// Queues a delivery of each event to each enabled endpoint of its merchant
/// that wants it: one lookup per merchant, one statement for them all.
pub(super) async fn fan_out(tx: &mut Tx, events: &[Written<'_>]) -> Result<()> {
    let mut merchants: Vec<&str> = events.iter().map(|e| e.merchant_id).collect();
    merchants.sort_unstable();
    merchants.dedup();
    let mut rows: Vec<(&Written, String)> = Vec::new();
    for merchant_id in merchants {
        let endpoints: Vec<EndpointRecord> =
            sqlx::query_as(&format!("{ENDPOINT_SELECT} WHERE merchant_id = $1 AND status = 'enabled'"))
                .bind(merchant_id)
                .fetch_all(&mut **tx)
                .await?;
        for event in events.iter().filter(|e| e.merchant_id == merchant_id) {
            rows.extend(endpoints.iter().filter(|e| e.wants(event.kind)).map(|e| (event, e.id.clone())));
        }
    }
    let now = now_ms();
    // Statements stay well under SQLite's 32,766 parameters, however many
    // endpoints a merchant has.
    for chunk in rows.chunks(500) {
        let sql = format!(
            "INSERT INTO webhook_deliveries (id, merchant_id, endpoint_id, event_id, session_id, next_attempt_at,
                created_at, updated_at, status, attempts) VALUES {}",
            placeholders(tx, chunk.len(), 8, ", 'pending', 0")
        );
        let mut query = sqlx::query(&sql);
        for (event, endpoint_id) in chunk {
            query = query
                .bind(new_id("wd"))
                .bind(event.merchant_id)
                .bind(endpoint_id)
                .bind(event.event_id)
                .bind(event.session_id)
                .bind(now)
                .bind(now)
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn queue(
    tx: &mut Tx,
    merchant_id: &str,
    endpoint_id: &str,
    event_id: &str,
    session_id: Option<&str>,
) -> Result<String> {
    let now = now_ms();
    let id = new_id("wd");
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, merchant_id, endpoint_id, event_id, session_id, status, attempts,
            next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6)",
    )
    .bind(&id)
    .bind(merchant_id)
    .bind(endpoint_id)
    .bind(event_id)
    .bind(session_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

impl Store {
    pub async fn create_endpoint(
        &self,
        merchant_id: &str,
        url: &str,
        description: Option<&str>,
        event_types: &str,
        secret_sealed: &str,
    ) -> Result<EndpointRecord> {
        let mut tx = self.begin().await?;
        let endpoint =
            Store::insert_endpoint(&mut tx, merchant_id, (url, description), event_types, secret_sealed).await?;
        tx.commit().await?;
        Ok(endpoint)
    }

    /// [`Store::create_endpoint`] inside the caller's transaction.
    pub async fn insert_endpoint(
        tx: &mut Tx,
        merchant_id: &str,
        (url, description): (&str, Option<&str>),
        event_types: &str,
        secret_sealed: &str,
    ) -> Result<EndpointRecord> {
        let id = new_id("we");
        let now = now_ms();
        sqlx::query(
            "INSERT INTO webhook_endpoints (id, merchant_id, url, description, event_types, status, secret_sealed,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'enabled', $6, $7, $7)",
        )
        .bind(&id)
        .bind(merchant_id)
        .bind(url)
        .bind(description)
        .bind(event_types)
        .bind(secret_sealed)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        sqlx::query_as(&format!("{ENDPOINT_SELECT} WHERE id = $1"))
            .bind(&id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound("webhook endpoint", id))
    }

    pub async fn endpoint(&self, merchant_id: &str, id: &str) -> Result<Option<EndpointRecord>> {
        Ok(sqlx::query_as(&format!("{ENDPOINT_SELECT} WHERE id = $1 AND merchant_id = $2 AND status <> 'deleted'"))
            .bind(id)
            .bind(merchant_id)
            .fetch_optional(self.reader())
            .await?)
    }

    pub async fn endpoints_of(&self, merchant_id: &str) -> Result<Vec<EndpointRecord>> {
        Ok(sqlx::query_as(&format!(
            "{ENDPOINT_SELECT} WHERE merchant_id = $1 AND status <> 'deleted' ORDER BY created_at, id"
        ))
        .bind(merchant_id)
        .fetch_all(self.reader())
        .await?)
    }

    pub async fn update_endpoint(
        &self,
        merchant_id: &str,
        id: &str,
        change: &EndpointChange,
    ) -> Result<EndpointRecord> {
        let current =
            self.endpoint(merchant_id, id).await?.ok_or_else(|| StoreError::NotFound("webhook endpoint", id.into()))?;
        let status = match change.enabled {
            Some(true) => "enabled",
            Some(false) => "disabled",
            None => current.status.as_str(),
        };
        let reason = match change.enabled {
            Some(true) => None,
            Some(false) => Some("disabled by the merchant".to_string()),
            None => current.disabled_reason.clone(),
        };
        let failing_since = if change.enabled == Some(true) { None } else { current.failing_since };
        sqlx::query(
            "UPDATE webhook_endpoints SET url = $1, description = $2, event_types = $3, status = $4, disabled_reason = $5,
                failing_since = $6, updated_at = $7
             WHERE id = $8 AND merchant_id = $9",
        )
        .bind(change.url.as_ref().unwrap_or(&current.url))
        .bind(change.description.clone().or(current.description.clone()))
        .bind(change.event_types.as_ref().unwrap_or(&current.event_types))
        .bind(status)
        .bind(reason)
        .bind(failing_since)
        .bind(now_ms())
        .bind(id)
        .bind(merchant_id)
        .execute(&self.write)
        .await?;
        self.endpoint(merchant_id, id).await?.ok_or_else(|| StoreError::NotFound("webhook endpoint", id.into()))
    }

    /// Stops sending to the endpoint; its history stays.
    pub async fn delete_endpoint(&self, merchant_id: &str, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let result = sqlx::query(
            "UPDATE webhook_endpoints SET status = 'deleted', updated_at = $1 WHERE id = $2 AND merchant_id = $3 AND status <> 'deleted'",
        )
        .bind(now_ms())
        .bind(id)
        .bind(merchant_id)
        .execute(&mut *tx)
        .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound("webhook endpoint", id.into()));
        }
        sqlx::query("UPDATE webhook_deliveries SET status = 'cancelled' WHERE endpoint_id = $1 AND status = 'pending'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Ok(tx.commit().await?)
    }

    /// A new secret; the old one keeps signing beside it until `overlap_until`.
    pub async fn roll_endpoint_secret(
        &self,
        merchant_id: &str,
        id: &str,
        sealed: &str,
        overlap_until: i64,
    ) -> Result<EndpointRecord> {
        let result = sqlx::query(
            "UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = $1,
                secret_sealed = $2, updated_at = $3
             WHERE id = $4 AND merchant_id = $5 AND status <> 'deleted'",
        )
        .bind(overlap_until)
        .bind(sealed)
        .bind(now_ms())
        .bind(id)
        .bind(merchant_id)
        .execute(&self.write)
        .await?;
        expect_one(result).map_err(|_| StoreError::NotFound("webhook endpoint", id.into()))?;
        self.endpoint(merchant_id, id).await?.ok_or_else(|| StoreError::NotFound("webhook endpoint", id.into()))
    }

    /// A `webhook_endpoint.test` event sent to this endpoint only.
    pub async fn send_test_event(&self, endpoint: &EndpointRecord) -> Result<String> {
        let mut tx = self.begin().await?;
        let data = serde_json::json!({"endpoint_id": endpoint.id, "message": "A test event from Kassa."});
        let event_id =
            super::events::record_only(&mut tx, &endpoint.merchant_id, None, "webhook_endpoint.test", data).await?;
        let delivery = queue(&mut tx, &endpoint.merchant_id, &endpoint.id, &event_id, None).await?;
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

    pub async fn endpoint_by_id(&self, id: &str) -> Result<Option<EndpointRecord>> {
        Ok(sqlx::query_as(&format!("{ENDPOINT_SELECT} WHERE id = $1")).bind(id).fetch_optional(self.reader()).await?)
    }

    pub async fn event_by_id(&self, id: &str) -> Result<Option<EventRecord>> {
        Ok(sqlx::query_as("SELECT id, merchant_id, session_id, type, data, created_at FROM events WHERE id = $1")
            .bind(id)
            .fetch_optional(self.reader())
            .await?)
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
        .execute(&mut *tx)
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
        .execute(&mut *tx)
        .await?;
        let now = attempt.attempted_at;
        if *outcome == TryOutcome::Delivered {
            sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1")
                .bind(&delivery.endpoint_id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("UPDATE webhook_endpoints SET failing_since = $1 WHERE id = $2 AND failing_since IS NULL")
                .bind(now)
                .bind(&delivery.endpoint_id)
                .execute(&mut *tx)
                .await?;
            // Nothing got through for a whole retry window (this delivery's,
            // when it gives up): stop sending.
            let window_start = if *outcome == TryOutcome::GaveUp {
                sqlx::query_scalar("SELECT MIN(attempted_at) FROM webhook_attempts WHERE delivery_id = $1")
                    .bind(&delivery.id)
                    .fetch_one(&mut *tx)
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
            .execute(&mut *tx)
            .await?;
        }
        Ok(tx.commit().await?)
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
