//! Saved payment methods (seed 002's series): a customer's card kept by its
//! provider after a saving session succeeded, charged again by
//! `next_in_series` sessions, listed and detached per customer. Kassa keeps
//! what names the card to its provider and what a person may see of it.

use super::attempts::AttemptRecord;
use super::sessions::{record_event, SessionRecord};
use super::{Result, Store, Tx};
use crate::{ids::new_id, time::now_ms};
use serde_json::json;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PaymentMethodRecord {
    pub id: String,
    pub merchant_id: String,
    pub livemode: i64,
    /// The merchant's own name for the customer.
    pub customer: String,
    /// The site whose provider route holds the card (its Stripe account).
    pub site_id: String,
    pub provider: String,
    /// What the provider needs to charge the card again (JSON), never the card.
    pub provider_data: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
    /// The session that saved it.
    pub session_id: String,
    pub created_at: i64,
    pub detached_at: Option<i64>,
}

const METHOD_SELECT: &str = "SELECT id, merchant_id, livemode, customer, site_id, provider, provider_data, brand,
    last4, exp_month, exp_year, session_id, created_at, detached_at FROM payment_methods";

/// Keeps the card of `attempt`, which just paid `session`, when the session
/// saves cards and the provider left what it needs (in the attempt's own
/// transaction, so a paid saving session always has its method).
pub(super) async fn save_in(tx: &mut Tx, session: &SessionRecord, attempt: &AttemptRecord) -> Result<()> {
    let (true, Some(customer), Some(provider_data)) =
        (session.saves_method(), &session.customer, &attempt.saved_method)
    else {
        return Ok(());
    };
    let id = new_id("pm");
    sqlx::query(
        "INSERT INTO payment_methods (id, merchant_id, livemode, customer, site_id, provider, provider_data, brand,
            last4, exp_month, exp_year, session_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(&session.merchant_id)
    .bind(session.livemode)
    .bind(customer)
    .bind(&session.site_id)
    .bind(&attempt.provider)
    .bind(provider_data)
    .bind(&attempt.method_brand)
    .bind(&attempt.method_last4)
    .bind(attempt.method_exp_month)
    .bind(attempt.method_exp_year)
    .bind(&session.id)
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE checkout_sessions SET payment_method_id = $1 WHERE id = $2")
        .bind(&id)
        .bind(&session.id)
        .execute(tx.conn())
        .await?;
    let data = json!({"payment_method": id, "customer": customer, "brand": attempt.method_brand,
        "last4": attempt.method_last4});
    record_event(tx, &session.merchant_id, &session.id, "payment_method.saved", data).await
}

impl Store {
    /// What the provider would keep of the attempt's card, should it succeed.
    pub async fn set_saved_method(&self, attempt_id: &str, provider_data: &serde_json::Value) -> Result<()> {
        sqlx::query("UPDATE payment_attempts SET saved_method = $1 WHERE id = $2")
            .bind(super::json_text(provider_data))
            .bind(attempt_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn payment_method(&self, id: &str) -> Result<Option<PaymentMethodRecord>> {
        Ok(sqlx::query_as(&format!("{METHOD_SELECT} WHERE id = $1")).bind(id).fetch_optional(self.reader()).await?)
    }

    /// The merchant's method `id` in one mode (another mode's is not theirs to use).
    pub async fn merchant_method(
        &self,
        merchant_id: &str,
        livemode: bool,
        id: &str,
    ) -> Result<Option<PaymentMethodRecord>> {
        Ok(self.payment_method(id).await?.filter(|m| m.merchant_id == merchant_id && (m.livemode != 0) == livemode))
    }

    /// A customer's methods still saved, oldest first.
    pub async fn methods_of(
        &self,
        merchant_id: &str,
        livemode: bool,
        customer: &str,
    ) -> Result<Vec<PaymentMethodRecord>> {
        Ok(sqlx::query_as(&format!(
            "{METHOD_SELECT} WHERE merchant_id = $1 AND livemode = $2 AND customer = $3 AND detached_at IS NULL
             ORDER BY created_at, id"
        ))
        .bind(merchant_id)
        .bind(i64::from(livemode))
        .bind(customer)
        .fetch_all(self.reader())
        .await?)
    }

    /// Forgets method `id`: no series charges it again. False when it was
    /// detached before.
    pub async fn detach_method(&self, method: &PaymentMethodRecord, by: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let result = sqlx::query("UPDATE payment_methods SET detached_at = $1 WHERE id = $2 AND detached_at IS NULL")
            .bind(now_ms())
            .bind(&method.id)
            .execute(tx.conn())
            .await?;
        if result.rows_affected() != 1 {
            return Ok(false);
        }
        let data = json!({"payment_method": method.id, "customer": method.customer, "detached_by": by});
        record_event(&mut tx, &method.merchant_id, &method.session_id, "payment_method.detached", data).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// `next_in_series` sessions made before `made_before` and not charged
    /// yet (their process died first).
    pub async fn series_waiting(&self, made_before: i64, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM checkout_sessions WHERE sequence = 'next_in_series' AND status = 'open'
               AND outcome = 'not_started' AND created_at < $1 ORDER BY created_at LIMIT $2",
        )
        .bind(made_before)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }
}
