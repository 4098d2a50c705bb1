//! Series (seed 002): a `next_in_series` session is paid at once with a
//! method the customer saved in an earlier session, without them, and
//! completes `paid` or `unpaid`, never left open. A bank that asks for the
//! customer (3-D Secure) is a failure here: nobody is there to answer.
//! Saved methods are listed and detached per customer.

use crate::{
    domain_error::DomainError,
    new_session::CreateSessionRequest,
    payments,
    provider::{Authorization, Charge, Method, PaymentProvider},
    store::{AttemptRecord, NewAttempt, PaymentMethodRecord, SessionRecord, StoreError},
    time::now_ms,
    Services,
};
use app::lifecycle::Sequence;

/// The saved method a new session asks to charge, checked: the merchant's,
/// of the key's mode, still saved, and the customer's and site's named.
pub async fn method_for(
    services: &Services,
    merchant_id: &str,
    livemode: bool,
    request: &CreateSessionRequest,
) -> Result<Option<PaymentMethodRecord>, DomainError> {
    let Some(id) = request.payment_method.as_deref() else { return Ok(None) };
    let method = services
        .store
        .merchant_method(merchant_id, livemode, id)
        .await?
        .ok_or_else(|| DomainError::no_such("payment_method", "payment method", id))?;
    if method.detached_at.is_some() {
        return Err(DomainError::invalid(
            "payment_method",
            "payment_method_detached",
            format!("payment method {id} was detached; the customer must save a card again"),
        ));
    }
    if request.customer_id.as_deref().is_some_and(|c| c != method.customer) {
        return Err(DomainError::invalid(
            "customer_id",
            "customer_mismatch",
            format!("payment method {id} belongs to another customer"),
        ));
    }
    if request.site_id.as_deref().is_some_and(|s| s != method.site_id) {
        return Err(DomainError::invalid(
            "site_id",
            "site_mismatch",
            format!("payment method {id} is kept by site {}'s provider", method.site_id),
        ));
    }
    Ok(Some(method))
}

const DETACHED: Authorization = Authorization::Failed {
    code: "payment_method_detached",
    message: "The saved card was removed before it could be charged.",
};

/// Charges a `next_in_series` session's saved method; the session as it
/// stands afterwards (complete, or pending while the bank answers later).
pub async fn charge(services: &Services, session_id: &str) -> Result<SessionRecord, DomainError> {
    let session = services
        .store
        .session(session_id)
        .await?
        .ok_or_else(|| DomainError::no_such("id", "checkout session", session_id))?;
    let method = method_of(services, &session).await?;
    let provider = services.provider_of(&session).await?;
    let card = NewAttempt {
        provider: provider.name(),
        brand: method.brand.clone(),
        last4: method.last4.clone(),
        exp_month: method.exp_month,
        exp_year: method.exp_year,
    };
    let attempt = services.store.start_attempt(&session.id, None, &card).await?;
    // Read again once the attempt holds the session: a detach that came
    // first wins (it marks the card before forgetting it at the provider).
    let method = method_of(services, &session).await?;
    let answer = match method.detached_at {
        Some(_) => DETACHED,
        None => ask(services, provider.as_ref(), &session, &method, &attempt.id).await?,
    };
    tracing::info!(session = %session.id, attempt = %attempt.id, answer = ?answer, "off-session charge");
    Ok(services.store.resolve_attempt(&attempt.id, &answer.into_resolution(now_ms())).await?)
}

/// Asks again, under the same attempt, what came of a series charge whose
/// answer was lost (the provider did not answer, or this process died while
/// it was asked). The charge is asked with the same idempotency keys, so the
/// provider answers what it did the first time rather than charging twice;
/// a card detached meanwhile is asked about all the same, for that reason.
pub async fn charge_again(services: &Services, attempt: &AttemptRecord) -> Result<(), DomainError> {
    let session = services
        .store
        .session(&attempt.session_id)
        .await?
        .ok_or_else(|| DomainError::no_such("id", "checkout session", &attempt.session_id))?;
    let method = method_of(services, &session).await?;
    let provider = services.provider_of(&session).await?;
    let answer = ask(services, provider.as_ref(), &session, &method, &attempt.id).await?;
    tracing::info!(session = %session.id, attempt = %attempt.id, answer = ?answer, "off-session charge asked again");
    match services.store.resolve_attempt(&attempt.id, &answer.into_resolution(now_ms())).await {
        Ok(_) | Err(StoreError::Conflict | StoreError::Lifecycle(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn method_of(services: &Services, session: &SessionRecord) -> Result<PaymentMethodRecord, DomainError> {
    let id = session.payment_method_id.clone().unwrap_or_default();
    services
        .store
        .payment_method(&id)
        .await?
        .ok_or_else(|| DomainError::no_such("payment_method", "payment method", id))
}

/// The provider's answer to charging the saved card for the attempt.
async fn ask(
    services: &Services,
    provider: &dyn PaymentProvider,
    session: &SessionRecord,
    method: &PaymentMethodRecord,
    attempt_id: &str,
) -> Result<Authorization, StoreError> {
    let saved = Method::Saved(serde_json::from_str(&method.provider_data).unwrap_or_default());
    let email = session.customer_email.as_deref().unwrap_or("");
    let charge = Charge { session, attempt_id, email, method: &saved, save: false };
    payments::authorize(services, provider, charge).await
}

/// Whether an attempt is a series charge whose answer Kassa never heard:
/// asked again ([`charge_again`]) rather than read back, which needs the
/// provider's id for it.
pub fn answer_lost(session: &SessionRecord, attempt: &AttemptRecord) -> bool {
    session.sequence == Sequence::NextInSeries && attempt.provider_ref.is_none()
}

/// Charges the `next_in_series` sessions whose process died between making
/// and charging them (the worker's pass). Each is charged once: starting
/// its attempt is the database's one-winner step.
pub async fn charge_waiting(services: &Services) -> Result<usize, StoreError> {
    let mut done = 0;
    for id in services.store.series_waiting(now_ms() - WAITING_AFTER_MS, 20).await? {
        match charge(services, &id).await {
            Ok(_) => done += 1,
            Err(DomainError::Store(StoreError::Conflict | StoreError::Lifecycle(_))) => {}
            Err(e) => tracing::warn!(session = %id, error = %e, "could not charge a series session"),
        }
    }
    Ok(done)
}

/// How long a new `next_in_series` session may wait for the request that
/// made it to charge it, before the worker does.
const WAITING_AFTER_MS: i64 = 10_000;

/// Forgets a customer's saved method in Kassa, then at its provider: no
/// series charges it again (one starting meanwhile reads it detached).
/// Asked again (a retry after the provider did not answer), it asks the
/// provider again: forgetting twice is harmless. `by` names who asked
/// (`merchant`, `customer`); false when Kassa had detached it before.
pub async fn detach(services: &Services, method: &PaymentMethodRecord, by: &str) -> Result<bool, DomainError> {
    let detached = services.store.detach_method(method, by).await?;
    let provider = services.providers.get(&services.store, &services.sealer, &method.provider, &method.site_id).await?;
    let saved = serde_json::from_str(&method.provider_data).unwrap_or_default();
    provider.forget(&saved).await?;
    Ok(detached)
}
