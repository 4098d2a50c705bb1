//! Webhook endpoints: where a merchant wants its events sent.

use super::{expect_one, Result, Store, StoreError, Tx};
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

/// Changes to an endpoint; None leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct EndpointChange {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<String>,
    pub enabled: Option<bool>,
}

pub(super) const ENDPOINT_SELECT: &str =
    "SELECT id, merchant_id, url, description, event_types, status, disabled_reason,
    secret_sealed, previous_secret_sealed, previous_secret_expires_at, failing_since, created_at, updated_at
    FROM webhook_endpoints";

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
        .execute(tx.conn())
        .await?;
        sqlx::query_as(&format!("{ENDPOINT_SELECT} WHERE id = $1"))
            .bind(&id)
            .fetch_optional(tx.conn())
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
        .execute(tx.conn())
        .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound("webhook endpoint", id.into()));
        }
        sqlx::query("UPDATE webhook_deliveries SET status = 'cancelled' WHERE endpoint_id = $1 AND status = 'pending'")
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await
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

    pub async fn endpoint_by_id(&self, id: &str) -> Result<Option<EndpointRecord>> {
        Ok(sqlx::query_as(&format!("{ENDPOINT_SELECT} WHERE id = $1")).bind(id).fetch_optional(self.reader()).await?)
    }
}
