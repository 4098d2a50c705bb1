//! How sessions end without being paid: expired (by the sweep, or when read
//! after their time), cancelled by the customer or the merchant.

use super::sessions::{load, record_event, state_data, transition, SessionRecord};
use super::{attempts, Result, Store, StoreError};
use crate::time::now_ms;
use app::lifecycle::{Event, LifecycleError, Status};

/// Who closed a session; its event says so, for the timeline and webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosedBy {
    Customer,
    Merchant,
    /// Its time ran out.
    Expiry,
}

impl ClosedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ClosedBy::Customer => "customer",
            ClosedBy::Merchant => "merchant",
            ClosedBy::Expiry => "expiry",
        }
    }
}

impl Store {
    /// Expires (or cancels) a session. A 3-D Secure challenge still waiting
    /// for the customer goes with it; any other attempt in flight (money
    /// moving at the provider) is resolved first, so the close is refused.
    pub async fn close_session(&self, id: &str, event: Event, by: ClosedBy) -> Result<SessionRecord> {
        self.change_session(id, async |tx, mut session| {
            if session.waits_for_customer() {
                let failed = attempts::abandon_challenge(tx, &session).await?;
                // No customer to retry (next in series): failing completed it.
                if failed.status != Status::Open {
                    return load(tx, id).await;
                }
                session = load(tx, id).await?;
            }
            let to = transition(tx, &session, event).await?;
            let kind = match to.status {
                Status::Cancelled => "checkout.session.cancelled",
                _ => "checkout.session.expired",
            };
            let mut data = state_data(to);
            data["closed_by"] = by.as_str().into();
            record_event(tx, &session.merchant_id, id, kind, data).await?;
            load(tx, id).await
        })
        .await
    }

    /// Expires the session now if its time has passed; the read-side half of
    /// expiry (the background sweep is the other).
    pub async fn expire_if_due(&self, session: SessionRecord) -> Result<SessionRecord> {
        if !session.is_due_to_expire(now_ms()) {
            return Ok(session);
        }
        match self.close_session(&session.id, Event::Expire, ClosedBy::Expiry).await {
            Ok(expired) => Ok(expired),
            // Someone else moved it first (paid, expired): show what is stored.
            Err(StoreError::Conflict | StoreError::Lifecycle(LifecycleError::Closed(_)))
            | Err(StoreError::Lifecycle(LifecycleError::AttemptInFlight)) => {
                self.session(&session.id).await?.ok_or(StoreError::NotFound("checkout session", session.id))
            }
            Err(e) => Err(e),
        }
    }

    /// Open sessions whose time is up, oldest first.
    pub async fn sessions_due_to_expire(&self, now: i64, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT s.id FROM checkout_sessions s WHERE s.status = 'open' AND s.expires_at <= $1
                AND (s.outcome <> 'pending' OR EXISTS (SELECT 1 FROM payment_attempts a
                    WHERE a.session_id = s.id AND a.status = 'requires_action'))
             ORDER BY s.expires_at LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }
}
