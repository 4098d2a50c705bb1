//! Giving money back. A sandbox payment's refund is written at once. A
//! processor's (Stripe's) is held first — its amount counted against the
//! payment, so two racing refunds cannot together pass what was paid —
//! then asked of the processor under the refund's own id as idempotency
//! key, and settled when it accepts or released when it refuses. One left
//! held by a process that died, or by a processor that did not answer, is
//! asked again by the worker under the same key, so it is made once.

use crate::{
    domain_error::DomainError,
    new_session::Route,
    provider::ProviderError,
    store::{RefundRecord, SessionRecord, StoreError},
    time::now_ms,
    Services,
};
use app::lifecycle::LifecycleError;

/// How long a held refund waits for its first answer before the worker asks again.
pub const ASK_AGAIN_AFTER_MS: i64 = 60_000;

/// Refunds `amount` (all that remains when None) of the session's payment.
pub async fn refund(
    services: &Services,
    session: &SessionRecord,
    amount: Option<i64>,
    reason: Option<&str>,
) -> Result<RefundRecord, DomainError> {
    if session.provider == Route::SANDBOX {
        return Ok(services.store.refund(&session.id, amount, reason).await?);
    }
    let held = services.store.hold_refund(&session.id, amount, reason).await?;
    ask(services, session, held).await
}

async fn ask(services: &Services, session: &SessionRecord, held: RefundRecord) -> Result<RefundRecord, DomainError> {
    let not_refundable = StoreError::Lifecycle(LifecycleError::NotRefundable);
    let attempt = services.store.paid_attempt(&session.id).await?.ok_or(not_refundable)?;
    let provider = services.provider_of(session).await?;
    match provider.refund(&attempt, held.amount, &held.id).await {
        Ok(reference) => Ok(services.store.settle_refund(&held, reference.as_deref()).await?),
        // No answer: it stays held, and the worker asks again.
        Err(e @ ProviderError::Unreachable(_)) => Err(e.into()),
        Err(e) => {
            services.store.release_refund(&held).await?;
            Err(match e {
                ProviderError::Refused(message) => DomainError::Conflict {
                    code: "refund_refused",
                    message: format!("the payment provider refused the refund: {message}"),
                },
                other => other.into(),
            })
        }
    }
}

/// Asks again about refunds left held; how many were settled or released.
pub async fn ask_again(services: &Services) -> Result<usize, StoreError> {
    let mut done = 0;
    for held in services.store.pending_refunds(now_ms() - ASK_AGAIN_AFTER_MS, 20).await? {
        let Some(session) = services.store.session(&held.session_id).await? else { continue };
        match ask(services, &session, held).await {
            Ok(_) | Err(DomainError::Conflict { .. } | DomainError::Invalid { .. }) => done += 1,
            Err(e) => tracing::warn!(session = %session.id, error = %e, "a held refund is still unanswered"),
        }
    }
    Ok(done)
}
