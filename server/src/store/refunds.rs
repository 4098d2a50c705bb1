//! Refunds. The payment's running total is the commit point: a refund
//! names the total it read in its WHERE clause, so two racing refunds cannot
//! both be written and the total never passes the amount paid.
//!
//! A refund through a processor (Stripe) is held first: written `pending`
//! with its amount counted in the total, so a racing refund cannot pass
//! it, then settled once the processor accepted it (its event goes out
//! then) or released, its amount given back, when the processor refused.

use super::sessions::{load, record_event};
use super::{expect_one, Result, Store, Tx};
use crate::{ids::new_id, time::now_ms};
use app::lifecycle::{apply, Event};
use serde_json::json;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RefundRecord {
    pub id: String,
    pub merchant_id: String,
    pub session_id: String,
    pub payment_id: String,
    pub amount: i64,
    pub currency: String,
    pub reason: Option<String>,
    /// `succeeded`, or `pending` while a processor has not answered.
    pub status: String,
    /// The processor's own id for the refund (a Stripe `re_…`).
    pub provider_ref: Option<String>,
    pub created_at: i64,
}

const REFUND_SELECT: &str = "SELECT id, merchant_id, session_id, payment_id, amount, currency, reason, status,
    provider_ref, created_at FROM refunds";

impl Store {
    /// Gives back `amount` (all that remains when None) of a paid session.
    pub async fn refund(&self, session_id: &str, amount: Option<i64>, reason: Option<&str>) -> Result<RefundRecord> {
        let mut tx = self.begin().await?;
        let refund = Store::refund_in(&mut tx, session_id, amount, reason).await?;
        tx.commit().await?;
        Ok(refund)
    }

    /// [`Store::refund`] inside the caller's transaction, to commit with
    /// what goes with it (an idempotent API answer).
    pub async fn refund_in(
        tx: &mut Tx,
        session_id: &str,
        amount: Option<i64>,
        reason: Option<&str>,
    ) -> Result<RefundRecord> {
        let refund = hold(tx, session_id, amount, reason, "succeeded").await?;
        refunded(tx, &refund).await?;
        Ok(refund)
    }

    /// Holds a refund that a processor has yet to accept (`pending`).
    pub async fn hold_refund(
        &self,
        session_id: &str,
        amount: Option<i64>,
        reason: Option<&str>,
    ) -> Result<RefundRecord> {
        let mut tx = self.begin().await?;
        let refund = hold(&mut tx, session_id, amount, reason, "pending").await?;
        tx.commit().await?;
        Ok(refund)
    }

    /// The processor accepted the held refund: it counts, and is told.
    pub async fn settle_refund(&self, refund: &RefundRecord, provider_ref: Option<&str>) -> Result<RefundRecord> {
        let mut tx = self.begin().await?;
        let result = sqlx::query(
            "UPDATE refunds SET status = 'succeeded', provider_ref = $1 WHERE id = $2 AND status = 'pending'",
        )
        .bind(provider_ref)
        .bind(&refund.id)
        .execute(tx.conn())
        .await?;
        expect_one(result)?;
        load(&mut tx, &refund.session_id).await?;
        refunded(&mut tx, refund).await?;
        tx.commit().await?;
        Ok(RefundRecord {
            status: "succeeded".into(),
            provider_ref: provider_ref.map(str::to_string),
            ..refund.clone()
        })
    }

    /// The processor refused the held refund: its amount is free again.
    pub async fn release_refund(&self, refund: &RefundRecord) -> Result<()> {
        let mut tx = self.begin().await?;
        load(&mut tx, &refund.session_id).await?;
        let result = sqlx::query("DELETE FROM refunds WHERE id = $1 AND status = 'pending'")
            .bind(&refund.id)
            .execute(tx.conn())
            .await?;
        expect_one(result)?;
        sqlx::query("UPDATE payments SET amount_refunded = amount_refunded - $1 WHERE id = $2")
            .bind(refund.amount)
            .bind(&refund.payment_id)
            .execute(tx.conn())
            .await?;
        touch(&mut tx, &refund.session_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refunds held longer than `older_than` (their process died before the
    /// processor's answer): asked again, with the same idempotency key.
    pub async fn pending_refunds(&self, older_than: i64, limit: i64) -> Result<Vec<RefundRecord>> {
        Ok(sqlx::query_as(&format!(
            "{REFUND_SELECT} WHERE status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2"
        ))
        .bind(older_than)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    pub async fn refunds_of(&self, session_id: &str) -> Result<Vec<RefundRecord>> {
        Ok(sqlx::query_as(&format!(
            "{REFUND_SELECT} WHERE session_id = $1 AND status = 'succeeded' ORDER BY created_at, id"
        ))
        .bind(session_id)
        .fetch_all(self.reader())
        .await?)
    }
}

/// Writes a refund of `amount` (all that remains when None), counted in the
/// payment's total whatever its status.
async fn hold(
    tx: &mut Tx,
    session_id: &str,
    amount: Option<i64>,
    reason: Option<&str>,
    status: &str,
) -> Result<RefundRecord> {
    let session = load(tx, session_id).await?;
    let payment_id = session.payment_id.clone().ok_or(app::lifecycle::LifecycleError::NotRefundable)?;
    let paid = session.amount_captured.unwrap_or(0);
    let refunded = session.amount_refunded.unwrap_or(0);
    let amount = amount.unwrap_or(paid - refunded);
    apply(session.state(), Event::Refund { amount, paid, refunded })?;
    let result = sqlx::query(
        "UPDATE payments SET amount_refunded = amount_refunded + $1
         WHERE id = $2 AND amount_refunded = $3 AND amount_refunded + $1 <= amount_captured",
    )
    .bind(amount)
    .bind(&payment_id)
    .bind(refunded)
    .execute(tx.conn())
    .await?;
    expect_one(result)?;
    let refund = RefundRecord {
        id: new_id("re"),
        merchant_id: session.merchant_id.clone(),
        session_id: session_id.to_string(),
        payment_id,
        amount,
        currency: session.currency.clone(),
        reason: reason.map(str::to_string),
        status: status.to_string(),
        provider_ref: None,
        created_at: now_ms(),
    };
    sqlx::query(
        "INSERT INTO refunds (id, merchant_id, session_id, payment_id, amount, currency, reason, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&refund.id)
    .bind(&refund.merchant_id)
    .bind(&refund.session_id)
    .bind(&refund.payment_id)
    .bind(refund.amount)
    .bind(&refund.currency)
    .bind(&refund.reason)
    .bind(&refund.status)
    .bind(refund.created_at)
    .execute(tx.conn())
    .await?;
    touch(tx, session_id).await?;
    Ok(refund)
}

/// A refund that counts: the session's version moves and the event goes out.
async fn refunded(tx: &mut Tx, refund: &RefundRecord) -> Result<()> {
    let refunded: i64 = sqlx::query_scalar("SELECT amount_refunded FROM payments WHERE id = $1")
        .bind(&refund.payment_id)
        .fetch_one(tx.conn())
        .await?;
    touch(tx, &refund.session_id).await?;
    let data = json!({"refund_id": refund.id, "amount": refund.amount, "amount_refunded": refunded,
        "reason": refund.reason});
    record_event(tx, &refund.merchant_id, &refund.session_id, "refund.created", data).await
}

/// Moves the session's version, so open pages and caches see the change.
async fn touch(tx: &mut Tx, session_id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE checkout_sessions SET updated_at = CASE WHEN $1 > updated_at THEN $1 ELSE updated_at + 1 END
         WHERE id = $2",
    )
    .bind(now_ms())
    .bind(session_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}
