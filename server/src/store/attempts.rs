use super::sessions::{load, record_event, transition, SessionRecord};
use super::{expect_one, is_unique_violation, json_text, Result, Store, StoreError, Tx};
use crate::{ids::new_id, time::now_ms};
use app::lifecycle::{apply, AttemptStatus, Event, LifecycleError, Outcome, Sequence, SessionState, Status};
use serde_json::{json, Value};

/// The card an attempt uses, as much of it as Kassa may keep.
#[derive(Clone, Debug)]
pub struct NewAttempt {
    pub provider: &'static str,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttemptRecord {
    pub id: String,
    pub session_id: String,
    #[sqlx(try_from = "String")]
    pub status: AttemptStatus,
    pub provider: String,
    pub method_brand: String,
    pub method_last4: String,
    pub method_exp_month: i64,
    pub method_exp_year: i64,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub data: String,
    pub resolve_at: Option<i64>,
    /// The provider's own id for the payment (a Stripe PaymentIntent).
    pub provider_ref: Option<String>,
    /// When Kassa let go of a failed attempt at its processor.
    pub released_at: Option<i64>,
    /// The refund of money the processor took after Kassa stopped waiting.
    pub late_refund_ref: Option<String>,
    /// What the provider keeps of the card should the attempt succeed
    /// (JSON), for a session that saves it.
    pub saved_method: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What the provider said about an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum AttemptResolution {
    Succeeded,
    Failed {
        code: String,
        message: String,
    },
    /// The customer must pass a 3-D Secure challenge.
    RequiresAction {
        data: Value,
    },
    /// An asynchronous method: the provider answers later, at about `resolve_at`.
    AwaitingProvider {
        resolve_at: i64,
        data: Value,
    },
}

/// A series charge (`next_in_series`) whose bank asked for the customer's
/// 3-D Secure: nobody is there to answer, so it fails (seed 002: completes
/// unpaid), however the provider's answer reached Kassa.
pub const AUTHENTICATION_REQUIRED: (&str, &str) = (
    "authentication_required",
    "The bank asked the customer to confirm this payment, and the customer was not there. \
     Ask them to pay on a checkout page.",
);

pub(super) const ATTEMPT_SELECT: &str =
    "SELECT id, session_id, status, provider, method_brand, method_last4, method_exp_month,
    method_exp_year, failure_code, failure_message, data, resolve_at, provider_ref, released_at, late_refund_ref,
    saved_method, created_at, updated_at
    FROM payment_attempts";

async fn load_attempt(tx: &mut Tx, id: &str) -> Result<AttemptRecord> {
    sqlx::query_as(&format!("{ATTEMPT_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| StoreError::NotFound("payment attempt", id.to_string()))
}

async fn set_attempt(
    tx: &mut Tx,
    attempt: &AttemptRecord,
    to: AttemptStatus,
    extra: (&Value, Option<i64>),
) -> Result<()> {
    let result = sqlx::query(
        "UPDATE payment_attempts SET status = $1, data = $2, resolve_at = $3, updated_at = $4
         WHERE id = $5 AND status = $6",
    )
    .bind(to.as_str())
    .bind(json_text(extra.0))
    .bind(extra.1)
    .bind(now_ms())
    .bind(&attempt.id)
    .bind(attempt.status.as_str())
    .execute(tx.conn())
    .await?;
    expect_one(result)
}

impl Store {
    /// Starts a payment attempt: the session goes `pending`, or the request
    /// loses to whatever got there first (another attempt, expiry, cancel).
    /// `email`: the payer's, as typed (none when the customer is not there).
    pub async fn start_attempt(
        &self,
        session_id: &str,
        email: Option<&str>,
        card: &NewAttempt,
    ) -> Result<AttemptRecord> {
        self.change_session(session_id, async |tx, session| {
            if session.state().status == Status::Open && session.expires_at <= now_ms() {
                return Err(LifecycleError::Closed(Status::Expired).into());
            }
            if let Some(email) = email {
                Store::record_details(tx, &session, email).await?;
            }
            transition(tx, &session, Event::StartAttempt).await?;
            let id = new_id("pa");
            let now = now_ms();
            let inserted = sqlx::query(
                "INSERT INTO payment_attempts (id, session_id, status, provider, method_brand, method_last4,
                    method_exp_month, method_exp_year, data, created_at, updated_at)
                 VALUES ($1, $2, 'processing', $3, $4, $5, $6, $7, '{}', $8, $8)",
            )
            .bind(&id)
            .bind(session_id)
            .bind(card.provider)
            .bind(&card.brand)
            .bind(&card.last4)
            .bind(card.exp_month)
            .bind(card.exp_year)
            .bind(now)
            .execute(tx.conn())
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => return Err(LifecycleError::AttemptInFlight.into()),
                other => other?,
            };
            let data = json!({"attempt_id": id, "brand": card.brand, "last4": card.last4});
            record_event(tx, &session.merchant_id, session_id, "payment_attempt.created", data).await?;
            load_attempt(tx, &id).await
        })
        .await
    }

    /// Writes what the provider said, moving the session with it.
    pub async fn resolve_attempt(&self, attempt_id: &str, resolution: &AttemptResolution) -> Result<SessionRecord> {
        let mut tx = self.begin().await?;
        let attempt = load_attempt(&mut tx, attempt_id).await?;
        let session = load(&mut tx, &attempt.session_id).await?;
        let merchant = session.merchant_id.clone();
        let was_async = attempt.status == AttemptStatus::Pending;
        if !attempt.status.in_flight() {
            return Err(LifecycleError::NoAttemptInFlight.into());
        }
        // A challenge answered after the session's time is up counts for
        // nothing: the session expires (`close_session` fails the challenge).
        if attempt.status == AttemptStatus::RequiresAction && session.expires_at <= now_ms() {
            return Err(LifecycleError::Closed(Status::Expired).into());
        }
        let base = json!({"attempt_id": attempt.id});
        match resolution {
            AttemptResolution::RequiresAction { .. } if session.sequence == Sequence::NextInSeries => {
                fail_attempt(&mut tx, &session, &attempt, AUTHENTICATION_REQUIRED, None).await?;
            }
            AttemptResolution::RequiresAction { data } => {
                apply(session.state(), Event::AttemptRequiresAction)?;
                set_attempt(&mut tx, &attempt, AttemptStatus::RequiresAction, (data, None)).await?;
                record_event(&mut tx, &merchant, &session.id, "payment_attempt.requires_action", base).await?;
            }
            AttemptResolution::AwaitingProvider { resolve_at, data } => {
                apply(session.state(), Event::AttemptAwaitsProvider)?;
                set_attempt(&mut tx, &attempt, AttemptStatus::Pending, (data, Some(*resolve_at))).await?;
                record_event(&mut tx, &merchant, &session.id, "payment_attempt.processing", base).await?;
            }
            AttemptResolution::Succeeded => {
                let capture = session.capture;
                let event = Event::AttemptSucceeded { capture, amount: session.amount };
                let to = transition(&mut tx, &session, event).await?;
                set_attempt(&mut tx, &attempt, AttemptStatus::Succeeded, (&Value::Null, None)).await?;
                let payment_id = match to.outcome {
                    Outcome::Paid | Outcome::Reserved => {
                        Some(insert_payment(&mut tx, &session, &attempt, to.outcome == Outcome::Paid).await?)
                    }
                    _ => None,
                };
                sqlx::query(
                    "UPDATE checkout_sessions SET payment_id = $1, failure_code = NULL, failure_message = NULL
                     WHERE id = $2",
                )
                .bind(&payment_id)
                .bind(&session.id)
                .execute(tx.conn())
                .await?;
                record_event(&mut tx, &merchant, &session.id, "payment_attempt.succeeded", base).await?;
                super::methods::save_in(&mut tx, &session, &attempt).await?;
                // The customer's receipt leaves with the money: same transaction.
                let email = sqlx::query_scalar::<_, Option<String>>(
                    "SELECT COALESCE(payer_email, customer_email) FROM checkout_sessions WHERE id = $1",
                )
                .bind(&session.id)
                .fetch_one(tx.conn())
                .await?;
                if let (Some(email), true) = (email, payment_id.is_some()) {
                    super::receipts::queue(&mut tx, &merchant, &session.id, &email).await?;
                }
                let data = json!({"status": to.status, "outcome": to.outcome, "payment_id": payment_id});
                if was_async {
                    record_event(
                        &mut tx,
                        &merchant,
                        &session.id,
                        "checkout.session.async_payment_succeeded",
                        data.clone(),
                    )
                    .await?;
                }
                record_event(&mut tx, &merchant, &session.id, "checkout.session.completed", data).await?;
            }
            AttemptResolution::Failed { code, message } => {
                let allowed = Some(self.failed_attempts_allowed);
                fail_attempt(&mut tx, &session, &attempt, (code, message), allowed).await?;
            }
        }
        let session = load(&mut tx, &session.id).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// Keeps the provider's own id for the attempt, once it made one.
    pub async fn set_provider_ref(&self, attempt_id: &str, reference: &str) -> Result<()> {
        sqlx::query("UPDATE payment_attempts SET provider_ref = $1 WHERE id = $2 AND provider_ref IS NULL")
            .bind(reference)
            .bind(attempt_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// The attempt a provider's callback names by the provider's own id.
    pub async fn attempt_by_ref(&self, provider: &str, reference: &str) -> Result<Option<AttemptRecord>> {
        Ok(sqlx::query_as(&format!("{ATTEMPT_SELECT} WHERE provider = $1 AND provider_ref = $2"))
            .bind(provider)
            .bind(reference)
            .fetch_optional(&self.write)
            .await?)
    }

    pub async fn attempt(&self, id: &str) -> Result<Option<AttemptRecord>> {
        Ok(sqlx::query_as(&format!("{ATTEMPT_SELECT} WHERE id = $1")).bind(id).fetch_optional(self.reader()).await?)
    }

    /// The attempt that paid the session (its card), if one did.
    pub async fn paid_attempt(&self, session_id: &str) -> Result<Option<AttemptRecord>> {
        Ok(self.attempts_of(session_id).await?.into_iter().rev().find(|a| a.status == AttemptStatus::Succeeded))
    }

    pub async fn attempts_of(&self, session_id: &str) -> Result<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(&format!("{ATTEMPT_SELECT} WHERE session_id = $1 ORDER BY created_at, id"))
            .bind(session_id)
            .fetch_all(self.reader())
            .await?)
    }

    /// Attempts left `processing` by a process that died mid-authorisation.
    pub async fn stale_attempts(&self, older_than: i64, limit: i64) -> Result<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(&format!(
            "{ATTEMPT_SELECT} WHERE status = 'processing' AND updated_at < $1 ORDER BY updated_at LIMIT $2"
        ))
        .bind(older_than)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// Asynchronous attempts whose provider answer is due.
    pub async fn attempts_due(&self, now: i64, limit: i64) -> Result<Vec<AttemptRecord>> {
        Ok(sqlx::query_as(&format!(
            "{ATTEMPT_SELECT} WHERE status = 'pending' AND resolve_at <= $1 ORDER BY resolve_at LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }
}

/// Records a failed attempt: the session goes `unpaid` (open for another
/// try, or complete when no customer is there to retry, or when it was the
/// last failure the session allows), with the events. `allowed` is that
/// number when this failure counts against it (a challenge abandoned
/// because the session closes does not).
async fn fail_attempt(
    tx: &mut Tx,
    session: &SessionRecord,
    attempt: &AttemptRecord,
    (code, message): (&str, &str),
    allowed: Option<i64>,
) -> Result<SessionState> {
    let merchant = &session.merchant_id;
    let sequence = session.sequence;
    let failed = session.failed_attempts + i64::from(allowed.is_some());
    let last_allowed = allowed.is_some_and(|allowed| failed >= allowed);
    let to = transition(tx, session, Event::AttemptFailed { sequence, last_allowed }).await?;
    sqlx::query("UPDATE payment_attempts SET failure_code = $1, failure_message = $2 WHERE id = $3")
        .bind(code)
        .bind(message)
        .bind(&attempt.id)
        .execute(tx.conn())
        .await?;
    set_attempt(tx, attempt, AttemptStatus::Failed, (&Value::Null, None)).await?;
    // The session's failure is what the customer is told: once it is
    // blocked, that, not the last card's reason.
    let (session_code, session_message) = match last_allowed {
        true => (TOO_MANY_ATTEMPTS, "Blocked: too many failed attempts. The checkout takes no more payments."),
        false => (code, message),
    };
    sqlx::query(
        "UPDATE checkout_sessions SET failure_code = $1, failure_message = $2, failed_attempts = $3 WHERE id = $4",
    )
    .bind(session_code)
    .bind(session_message)
    .bind(failed)
    .bind(&session.id)
    .execute(tx.conn())
    .await?;
    let data = json!({"attempt_id": attempt.id, "failure_code": code, "failure_message": message});
    record_event(tx, merchant, &session.id, "payment_attempt.failed", data.clone()).await?;
    if attempt.status == AttemptStatus::Pending {
        record_event(tx, merchant, &session.id, "checkout.session.async_payment_failed", data).await?;
    }
    if last_allowed {
        let data = json!({"reason": "too_many_failed_attempts", "failed_attempts": failed});
        record_event(tx, merchant, &session.id, "checkout.session.blocked", data).await?;
    }
    if to.status == Status::Complete {
        let data = json!({"status": to.status, "outcome": to.outcome});
        record_event(tx, merchant, &session.id, "checkout.session.completed", data).await?;
    }
    Ok(to)
}

/// The session's failure code once too many attempts failed in it.
pub const TOO_MANY_ATTEMPTS: &str = "too_many_attempts";

/// The code a challenge left unanswered fails with when its session closes.
pub const CHECKOUT_CLOSED: &str = "checkout_closed";

/// Fails the 3-D Secure challenge a session waits on, because the session
/// closes first (its time is up, or the merchant or customer closed it):
/// nothing was charged, and an answer given later counts for nothing.
pub(super) async fn abandon_challenge(tx: &mut Tx, session: &SessionRecord) -> Result<SessionState> {
    let attempt_id = session.attempt_id.as_deref().ok_or(LifecycleError::NoAttemptInFlight)?;
    let attempt = load_attempt(tx, attempt_id).await?;
    if attempt.status != AttemptStatus::RequiresAction {
        return Err(LifecycleError::AttemptInFlight.into());
    }
    let message = "The checkout closed before the customer confirmed the payment.";
    fail_attempt(tx, session, &attempt, (CHECKOUT_CLOSED, message), None).await
}

async fn insert_payment(
    tx: &mut Tx,
    session: &SessionRecord,
    attempt: &AttemptRecord,
    captured: bool,
) -> Result<String> {
    let id = new_id("pay");
    let inserted = sqlx::query(
        "INSERT INTO payments (id, session_id, attempt_id, amount, currency, amount_captured, amount_refunded, created_at,
            provider_ref)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
    )
    .bind(&id)
    .bind(&session.id)
    .bind(&attempt.id)
    .bind(session.amount)
    .bind(&session.currency)
    .bind(if captured { session.amount } else { 0 })
    .bind(now_ms())
    .bind(&attempt.provider_ref)
    .execute(tx.conn())
    .await;
    match inserted {
        // The unique session_id is the last line against a second charge.
        Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict),
        other => other.map(|_| id).map_err(Into::into),
    }
}
