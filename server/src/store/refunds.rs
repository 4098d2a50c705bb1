//! Refunds. The payment's running total is the commit point: a refund
//! names the total it read in its WHERE clause, so two racing refunds cannot
//! both be written and the total never passes the amount paid.

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
    pub created_at: i64,
}

const REFUND_SELECT: &str =
    "SELECT id, merchant_id, session_id, payment_id, amount, currency, reason, created_at FROM refunds";

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
            created_at: now_ms(),
        };
        sqlx::query(
            "INSERT INTO refunds (id, merchant_id, session_id, payment_id, amount, currency, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&refund.id)
        .bind(&refund.merchant_id)
        .bind(&refund.session_id)
        .bind(&refund.payment_id)
        .bind(refund.amount)
        .bind(&refund.currency)
        .bind(&refund.reason)
        .bind(refund.created_at)
        .execute(tx.conn())
        .await?;
        sqlx::query(
            "UPDATE checkout_sessions SET updated_at = CASE WHEN $1 > updated_at THEN $1 ELSE updated_at + 1 END
             WHERE id = $2",
        )
        .bind(now_ms())
        .bind(session_id)
        .execute(tx.conn())
        .await?;
        let data =
            json!({"refund_id": refund.id, "amount": amount, "amount_refunded": refunded + amount, "reason": reason});
        record_event(tx, &session.merchant_id, session_id, "refund.created", data).await?;
        Ok(refund)
    }

    pub async fn refunds_of(&self, session_id: &str) -> Result<Vec<RefundRecord>> {
        Ok(sqlx::query_as(&format!("{REFUND_SELECT} WHERE session_id = $1 ORDER BY created_at, id"))
            .bind(session_id)
            .fetch_all(self.reader())
            .await?)
    }
}
