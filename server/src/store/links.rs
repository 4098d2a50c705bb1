//! Payment links and their figures.

use super::{Result, Store, StoreError, Tx};
use crate::{ids::new_id, time::now_ms};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LinkRecord {
    pub id: String,
    pub merchant_id: String,
    pub site_id: String,
    pub slug: String,
    pub title: String,
    pub active: i64,
    pub currency: String,
    pub amount: Option<i64>,
    pub min_amount: Option<i64>,
    pub max_amount: Option<i64>,
    pub adjustable_quantity: i64,
    pub max_quantity: i64,
    pub metadata: String,
    pub success_url: Option<String>,
    pub visits: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A link as the merchant asked for it, already checked.
#[derive(Clone, Debug)]
pub struct NewLink {
    pub site_id: String,
    pub title: String,
    pub currency: String,
    pub amount: Option<i64>,
    pub min_amount: Option<i64>,
    pub max_amount: Option<i64>,
    pub adjustable_quantity: bool,
    pub max_quantity: i64,
    pub metadata: serde_json::Value,
    pub success_url: Option<String>,
}

/// Visits, sessions, paid sessions and revenue (minor units) of a link.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkFigures {
    pub visits: i64,
    pub sessions: i64,
    pub paid: i64,
    pub revenue: i64,
}

const LINK_SELECT: &str =
    "SELECT id, merchant_id, site_id, slug, title, active, currency, amount, min_amount, max_amount,
    adjustable_quantity, max_quantity, metadata, success_url, visits, created_at, updated_at FROM payment_links";

impl Store {
    pub async fn create_link(&self, merchant_id: &str, new: &NewLink) -> Result<LinkRecord> {
        let mut tx = self.begin().await?;
        let link = Store::insert_link(&mut tx, merchant_id, new).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// [`Store::create_link`] inside the caller's transaction.
    pub async fn insert_link(tx: &mut Tx, merchant_id: &str, new: &NewLink) -> Result<LinkRecord> {
        let id = new_id("plink");
        let now = now_ms();
        sqlx::query(
            "INSERT INTO payment_links (id, merchant_id, site_id, slug, title, active, currency, amount, min_amount,
                max_amount, adjustable_quantity, max_quantity, metadata, success_url, visits, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $14)",
        )
        .bind(&id)
        .bind(merchant_id)
        .bind(&new.site_id)
        .bind(crate::ids::random_base62()[..12].to_string())
        .bind(&new.title)
        .bind(&new.currency)
        .bind(new.amount)
        .bind(new.min_amount)
        .bind(new.max_amount)
        .bind(i64::from(new.adjustable_quantity))
        .bind(new.max_quantity)
        .bind(super::json_text(&new.metadata))
        .bind(&new.success_url)
        .bind(now)
        .execute(tx.conn())
        .await?;
        sqlx::query_as(&format!("{LINK_SELECT} WHERE id = $1"))
            .bind(&id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound("payment link", id))
    }

    pub async fn link(&self, merchant_id: &str, id: &str) -> Result<Option<LinkRecord>> {
        Ok(sqlx::query_as(&format!("{LINK_SELECT} WHERE id = $1 AND merchant_id = $2"))
            .bind(id)
            .bind(merchant_id)
            .fetch_optional(self.reader())
            .await?)
    }

    pub async fn link_by_slug(&self, slug: &str) -> Result<Option<LinkRecord>> {
        Ok(sqlx::query_as(&format!("{LINK_SELECT} WHERE slug = $1")).bind(slug).fetch_optional(self.reader()).await?)
    }

    pub async fn link_by_id(&self, id: &str) -> Result<Option<LinkRecord>> {
        Ok(sqlx::query_as(&format!("{LINK_SELECT} WHERE id = $1")).bind(id).fetch_optional(self.reader()).await?)
    }

    pub async fn links_of(&self, merchant_id: &str) -> Result<Vec<LinkRecord>> {
        Ok(sqlx::query_as(&format!("{LINK_SELECT} WHERE merchant_id = $1 ORDER BY created_at DESC, id DESC"))
            .bind(merchant_id)
            .fetch_all(self.reader())
            .await?)
    }

    pub async fn update_link(
        &self,
        merchant_id: &str,
        id: &str,
        title: Option<&str>,
        active: Option<bool>,
    ) -> Result<LinkRecord> {
        let result = sqlx::query(
            "UPDATE payment_links SET title = COALESCE($1, title), active = COALESCE($2, active), updated_at = $3
             WHERE id = $4 AND merchant_id = $5",
        )
        .bind(title)
        .bind(active.map(i64::from))
        .bind(now_ms())
        .bind(id)
        .bind(merchant_id)
        .execute(&self.write)
        .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound("payment link", id.into()));
        }
        self.link(merchant_id, id).await?.ok_or_else(|| StoreError::NotFound("payment link", id.into()))
    }

    pub async fn count_link_visit(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE payment_links SET visits = visits + 1 WHERE id = $1").bind(id).execute(&self.write).await?;
        Ok(())
    }

    pub async fn link_figures(&self, link: &LinkRecord) -> Result<LinkFigures> {
        let (sessions, paid, revenue): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN s.outcome IN ('paid', 'reserved') THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(p.amount_captured), 0) AS BIGINT)
             FROM checkout_sessions s LEFT JOIN payments p ON p.session_id = s.id WHERE s.payment_link_id = $1",
        )
        .bind(&link.id)
        .fetch_one(self.reader())
        .await?;
        Ok(LinkFigures { visits: link.visits, sessions, paid, revenue })
    }
}
