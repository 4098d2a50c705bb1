use super::{Result, Store};
use crate::{ids::new_id, time::now_ms};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MerchantRecord {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SiteRecord {
    pub id: String,
    pub merchant_id: String,
    pub name: String,
    pub created_at: i64,
    /// JSON array of origins that may frame this site's checkout.
    pub allowed_origins: String,
    /// Shown to customers instead of `name`, when set.
    pub display_name: Option<String>,
    pub logo_url: Option<String>,
    /// `#rrggbb`, the pay button's colour.
    pub accent_color: Option<String>,
}

/// What a site update changes; `None` leaves a field as it is, and an empty
/// branding field clears it.
#[derive(Debug, Default)]
pub struct SiteChange<'a> {
    pub name: Option<&'a str>,
    pub origins: Option<&'a [String]>,
    pub display_name: Option<&'a str>,
    pub logo_url: Option<&'a str>,
    pub accent_color: Option<&'a str>,
}

impl SiteRecord {
    pub fn origins(&self) -> Vec<String> {
        serde_json::from_str(&self.allowed_origins).unwrap_or_default()
    }

    /// The name customers see on the checkout.
    pub fn shown_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}

const SITE: &str =
    "SELECT id, merchant_id, name, created_at, allowed_origins, display_name, logo_url, accent_color FROM sites";

impl Store {
    pub async fn create_merchant(&self, name: &str) -> Result<MerchantRecord> {
        let merchant = MerchantRecord { id: new_id("mer"), name: name.to_string(), created_at: now_ms() };
        sqlx::query("INSERT INTO merchants (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&merchant.id)
            .bind(&merchant.name)
            .bind(merchant.created_at)
            .execute(&self.write)
            .await?;
        Ok(merchant)
    }

    pub async fn create_site(&self, merchant_id: &str, name: &str) -> Result<SiteRecord> {
        let _forget = self.sites.forget_after(merchant_id);
        let site = SiteRecord {
            id: new_id("site"),
            merchant_id: merchant_id.to_string(),
            name: name.to_string(),
            created_at: now_ms(),
            allowed_origins: "[]".into(),
            display_name: None,
            logo_url: None,
            accent_color: None,
        };
        sqlx::query("INSERT INTO sites (id, merchant_id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&site.id)
            .bind(&site.merchant_id)
            .bind(&site.name)
            .bind(site.created_at)
            .execute(&self.write)
            .await?;
        Ok(site)
    }

    pub async fn merchant_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM merchants").fetch_one(&self.read).await?)
    }

    pub async fn merchant(&self, id: &str) -> Result<Option<MerchantRecord>> {
        Ok(sqlx::query_as("SELECT id, name, created_at FROM merchants WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// A merchant's sites, oldest first. Every session create asks (for the
    /// site it belongs to), so the list is kept for a few seconds: a change
    /// shows within `SiteCache::TTL` (this process forgets the list when it
    /// makes one, so usually at once).
    pub async fn sites_of(&self, merchant_id: &str) -> Result<Vec<SiteRecord>> {
        if let Some(sites) = self.sites.get(merchant_id) {
            return Ok(sites);
        }
        let sites: Vec<SiteRecord> = sqlx::query_as(&format!("{SITE} WHERE merchant_id = $1 ORDER BY created_at, id"))
            .bind(merchant_id)
            .fetch_all(&self.read)
            .await?;
        self.sites.put(merchant_id, &sites);
        Ok(sites)
    }

    pub async fn site(&self, merchant_id: &str, site_id: &str) -> Result<Option<SiteRecord>> {
        Ok(sqlx::query_as(&format!("{SITE} WHERE id = $1 AND merchant_id = $2"))
            .bind(site_id)
            .bind(merchant_id)
            .fetch_optional(&self.read)
            .await?)
    }
}

impl Store {
    pub async fn site_by_id(&self, site_id: &str) -> Result<Option<SiteRecord>> {
        Ok(sqlx::query_as(&format!("{SITE} WHERE id = $1")).bind(site_id).fetch_optional(&self.read).await?)
    }

    /// Renames a site or replaces its embedding origins (already checked).
    /// One statement, so a change is made whole or not at all.
    pub async fn update_site(&self, merchant_id: &str, site_id: &str, change: &SiteChange<'_>) -> Result<SiteRecord> {
        let _forget = self.sites.forget_after(merchant_id);
        let origins = change.origins.map(|o| serde_json::to_string(o).unwrap_or_else(|_| "[]".into()));
        let updated = sqlx::query(
            "UPDATE sites SET name = COALESCE($1, name), allowed_origins = COALESCE($2, allowed_origins),
                display_name = CASE WHEN $3 IS NULL THEN display_name ELSE NULLIF($3, '') END,
                logo_url = CASE WHEN $4 IS NULL THEN logo_url ELSE NULLIF($4, '') END,
                accent_color = CASE WHEN $5 IS NULL THEN accent_color ELSE NULLIF($5, '') END
             WHERE id = $6 AND merchant_id = $7",
        )
        .bind(change.name)
        .bind(origins)
        .bind(change.display_name)
        .bind(change.logo_url)
        .bind(change.accent_color)
        .bind(site_id)
        .bind(merchant_id)
        .execute(&self.write)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(super::StoreError::NotFound("site", site_id.to_string()));
        }
        self.site(merchant_id, site_id).await?.ok_or_else(|| super::StoreError::NotFound("site", site_id.to_string()))
    }
}

/// Each merchant's sites as last read, for `SiteCache::TTL` (see `sites_of`).
#[derive(Default)]
pub struct SiteCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, Vec<SiteRecord>)>>,
}

/// Forgets a merchant's sites when dropped, after the change committed, so
/// a read made during the change is not kept past it.
pub struct Forget<'a>(&'a SiteCache, String);

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.0.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.1);
    }
}

impl SiteCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(5);
    const MAX: usize = 10_000;

    fn get(&self, merchant_id: &str) -> Option<Vec<SiteRecord>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(merchant_id).filter(|(at, _)| at.elapsed() < Self::TTL).map(|(_, sites)| sites.clone())
    }

    fn put(&self, merchant_id: &str, sites: &[SiteRecord]) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::MAX {
            entries.retain(|_, (at, _)| at.elapsed() < Self::TTL);
        }
        entries.insert(merchant_id.to_string(), (std::time::Instant::now(), sites.to_vec()));
    }

    fn forget_after(&self, merchant_id: &str) -> Forget<'_> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(merchant_id);
        Forget(self, merchant_id.to_string())
    }
}
