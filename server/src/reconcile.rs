//! Answers a provider gives outside the customer's request, and the
//! payments Kassa stopped waiting for. A callback (Stripe's webhooks) goes
//! through the same conditional change as the customer's own answer, so
//! whichever arrives first decides and the other changes nothing. A
//! processor's attempt that failed in Kassa (its checkout closed during
//! 3-D Secure, say) is let go at the processor; if its money was taken
//! anyway it is given back, once, and the merchant sees it: a customer is
//! never charged for a checkout that did not count the payment. A challenge
//! left open is read back from the processor, so a lost callback does not
//! leave a paying customer's order open.

use crate::{
    provider::{Authorization, News, PaymentProvider},
    store::{AttemptRecord, StoreError},
    time::now_ms,
    Services,
};
use app::lifecycle::AttemptStatus;

/// Applies what a callback from `provider` for site `site_id` says. A
/// payment Kassa does not know (another Kassa's, or one of the provider
/// account's own) is none of its business.
pub async fn apply_news(
    services: &Services,
    provider: &dyn PaymentProvider,
    site_id: &str,
    news: News,
) -> Result<(), StoreError> {
    let Some(attempt) = attempt_of(services, provider, site_id, &news).await? else {
        return Ok(());
    };
    let session = services.store.session(&attempt.session_id).await?;
    if session.is_none_or(|s| s.site_id != site_id) {
        return Ok(());
    }
    let succeeded = news.authorization == Authorization::Succeeded;
    if attempt.status.in_flight() {
        let resolution = news.authorization.into_resolution(now_ms());
        tracing::info!(attempt = %attempt.id, answer = ?resolution, "provider callback");
        match services.store.resolve_attempt(&attempt.id, &resolution).await {
            // Settled meanwhile by the customer's page or another callback.
            Ok(_) | Err(StoreError::Conflict | StoreError::Lifecycle(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if succeeded {
        give_back_if_not_counted(services, provider, &attempt.id).await?;
    }
    Ok(())
}

/// The attempt a callback is about: by the provider's id for it, or, when
/// Kassa never stored that id (its process died between the provider's
/// answer and the write), by the attempt the payment's metadata names —
/// only one of this provider's, on this callback's site (whose account
/// signed it), with no id yet, which then gets this one.
async fn attempt_of(
    services: &Services,
    provider: &dyn PaymentProvider,
    site_id: &str,
    news: &News,
) -> Result<Option<AttemptRecord>, StoreError> {
    if let Some(attempt) = services.store.attempt_by_ref(provider.name(), &news.reference).await? {
        return Ok(Some(attempt));
    }
    let Some(id) = &news.attempt else { return Ok(None) };
    let unnamed =
        services.store.attempt(id).await?.filter(|a| a.provider == provider.name() && a.provider_ref.is_none());
    let Some(attempt) = unnamed else { return Ok(None) };
    let session = services.store.session(&attempt.session_id).await?;
    if session.is_none_or(|s| s.site_id != site_id) {
        return Ok(None);
    }
    services.store.set_provider_ref(&attempt.id, &news.reference).await?;
    services.store.attempt(&attempt.id).await
}

/// The provider says the attempt's money was taken: if Kassa did not count
/// it (the attempt failed here), it goes back.
pub async fn give_back_if_not_counted(
    services: &Services,
    provider: &dyn PaymentProvider,
    attempt_id: &str,
) -> Result<(), StoreError> {
    let Some(attempt) = services.store.attempt(attempt_id).await? else { return Ok(()) };
    if attempt.status != AttemptStatus::Failed || attempt.late_refund_ref.is_some() {
        return Ok(());
    }
    give_back(services, provider, &attempt).await
}

async fn give_back(
    services: &Services,
    provider: &dyn PaymentProvider,
    attempt: &AttemptRecord,
) -> Result<(), StoreError> {
    let Some(session) = services.store.session(&attempt.session_id).await? else { return Ok(()) };
    match provider.give_back(attempt, session.amount, &format!("{}-late", attempt.id)).await {
        Ok(Some(refund)) => {
            tracing::warn!(attempt = %attempt.id, %refund, "a payment taken after Kassa stopped waiting was refunded");
            services.store.record_late_refund(attempt, &refund, session.amount).await?;
        }
        // Only held, never taken: released.
        Ok(None) => services.store.mark_released(&attempt.id).await?,
        Err(e) => {
            tracing::warn!(attempt = %attempt.id, error = %e, "a late payment could not be given back yet");
            services.store.check_again_at(attempt, now_ms() + RELEASE_RETRY_MS).await?;
        }
    }
    Ok(())
}

/// How long a release that could not be done waits before the next try.
const RELEASE_RETRY_MS: i64 = 60_000;

/// Lets go, at their processor, of attempts that failed in Kassa (the
/// worker's pass): whatever the processor holds is released, whatever it
/// took is refunded.
pub async fn release_failed(services: &Services) -> Result<usize, StoreError> {
    let mut done = 0;
    for attempt in services.store.attempts_to_release(now_ms(), 20).await? {
        let Some(session) = services.store.session(&attempt.session_id).await? else { continue };
        match services.provider_of(&session).await {
            Ok(provider) => give_back(services, provider.as_ref(), &attempt).await?,
            Err(e) => {
                tracing::warn!(attempt = %attempt.id, error = %e, "cannot reach the attempt's provider");
                services.store.check_again_at(&attempt, now_ms() + RELEASE_RETRY_MS).await?;
            }
        }
        done += 1;
    }
    Ok(done)
}

/// Reads back, from their processor, challenges left open for a while
/// (the worker's pass): a customer who passed the bank's check and closed
/// the tab, with the processor's callback lost on the way, still gets the
/// order they paid for. A challenge still open is read again later.
pub async fn read_back_challenges(services: &Services) -> Result<usize, StoreError> {
    let now = now_ms();
    let mut done = 0;
    for attempt in services.store.challenges_to_read_back(now - services.read_back_ms, now, 20).await? {
        let Some(session) = services.store.session(&attempt.session_id).await? else { continue };
        let answer = match services.provider_of(&session).await {
            Ok(provider) => provider.check(&attempt).await,
            Err(e) => {
                tracing::warn!(attempt = %attempt.id, error = %e, "cannot reach the attempt's provider");
                Authorization::Processing { after_ms: 0, data: serde_json::Value::Null }
            }
        };
        if let Authorization::RequiresAction { .. } | Authorization::Processing { .. } = answer {
            services.store.check_again_at(&attempt, now + services.read_back_ms).await?;
            continue;
        }
        tracing::info!(attempt = %attempt.id, answer = ?answer, "a challenge read back from its processor");
        match services.store.resolve_attempt(&attempt.id, &answer.into_resolution(now)).await {
            Ok(_) => done += 1,
            // Answered meanwhile, or the checkout closed (its expiry fails the challenge).
            Err(StoreError::Conflict | StoreError::Lifecycle(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// Looks up, at their processor, the charges of payments that succeeded
/// there (the worker's pass, off the customer's path): the session object
/// and the dashboard show them beside the PaymentIntent.
pub async fn note_charges(services: &Services) -> Result<usize, StoreError> {
    let now = now_ms();
    let mut done = 0;
    for (payment, attempt_id, session_id) in services.store.payments_without_charge(now, 20).await? {
        let (Some(attempt), Some(session)) =
            (services.store.attempt(&attempt_id).await?, services.store.session(&session_id).await?)
        else {
            continue;
        };
        let found = match services.provider_of(&session).await {
            Ok(provider) => provider.charge_of(&attempt).await,
            Err(e) => Err(e),
        };
        let ids = (payment.as_str(), session_id.as_str());
        match found {
            Ok(charge) => {
                services.store.set_payment_charge(ids, Some(charge.as_deref().unwrap_or("")), now).await?;
                done += 1;
            }
            Err(e) => {
                tracing::warn!(%payment, error = %e, "could not look up a payment's charge yet");
                services.store.set_payment_charge(ids, None, now + RELEASE_RETRY_MS).await?;
            }
        }
    }
    Ok(done)
}
