//! A site's provider route: which processor takes its live payments, with
//! the credentials for it (sealed by the caller; the store never sees them
//! in clear).

use super::{Result, Store};
use crate::time::now_ms;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ProviderRoute {
    pub site_id: String,
    pub provider: String,
    /// Sealed (`Sealer::seal`).
    pub secret_key: String,
    pub secret_key_last4: String,
    pub publishable_key: String,
    /// Sealed: verifies the provider's callbacks.
    pub webhook_secret: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const ROUTE_SELECT: &str = "SELECT site_id, provider, secret_key, secret_key_last4, publishable_key, webhook_secret,
    created_at, updated_at FROM provider_routes";

impl Store {
    /// Sets (or replaces) a site's route; `route.created_at` is kept from
    /// the one it replaces.
    pub async fn save_provider_route(&self, route: &ProviderRoute) -> Result<ProviderRoute> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO provider_routes (site_id, provider, secret_key, secret_key_last4, publishable_key,
                 webhook_secret, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
             ON CONFLICT (site_id) DO UPDATE SET provider = excluded.provider, secret_key = excluded.secret_key,
                 secret_key_last4 = excluded.secret_key_last4, publishable_key = excluded.publishable_key,
                 webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at",
        )
        .bind(&route.site_id)
        .bind(&route.provider)
        .bind(&route.secret_key)
        .bind(&route.secret_key_last4)
        .bind(&route.publishable_key)
        .bind(&route.webhook_secret)
        .bind(now)
        .execute(&self.write)
        .await?;
        let saved = self.provider_route(&route.site_id).await?;
        saved.ok_or_else(|| super::StoreError::NotFound("provider route", route.site_id.clone()))
    }

    pub async fn provider_route(&self, site_id: &str) -> Result<Option<ProviderRoute>> {
        Ok(sqlx::query_as(&format!("{ROUTE_SELECT} WHERE site_id = $1"))
            .bind(site_id)
            .fetch_optional(&self.write)
            .await?)
    }

    /// Takes a provider's callback once: false when `event_id` was taken before.
    pub async fn take_provider_callback(&self, provider: &str, event_id: &str) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO provider_callbacks (provider, event_id, received_at) VALUES ($1, $2, $3)
             ON CONFLICT (provider, event_id) DO NOTHING",
        )
        .bind(provider)
        .bind(event_id)
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Gives a callback back when applying it failed, so the provider's retry is applied.
    pub async fn release_provider_callback(&self, provider: &str, event_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM provider_callbacks WHERE provider = $1 AND event_id = $2")
            .bind(provider)
            .bind(event_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
