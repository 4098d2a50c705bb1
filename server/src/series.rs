//! Series (seed 002): a `next_in_series` session is paid at once with a
//! method the customer saved in an earlier session, without them, and
//! completes `paid` or `unpaid`, never left open. A bank that asks for the
//! customer (3-D Secure) is a failure here: nobody is there to answer.
//! Saved methods are listed and detached per customer.

use crate::{
    domain_error::DomainError,
    new_session::CreateSessionRequest,
    payments,
    provider::{Authorization, Charge, Method, AUTHENTICATION_REQUIRED},
    store::{NewAttempt, PaymentMethodRecord, SessionRecord, StoreError},
    time::now_ms,
    Services,
};

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
    let method_id = session.payment_method_id.clone().unwrap_or_default();
    let method = services
        .store
        .payment_method(&method_id)
        .await?
        .ok_or_else(|| DomainError::no_such("payment_method", "payment method", &method_id))?;
    let provider = services.provider_of(&session).await?;
    let card = NewAttempt {
        provider: provider.name(),
        brand: method.brand.clone(),
        last4: method.last4.clone(),
        exp_month: method.exp_month,
        exp_year: method.exp_year,
    };
    let attempt = services.store.start_attempt(&session.id, None, &card).await?;
    let answer = if method.detached_at.is_some() {
        DETACHED
    } else {
        let saved = serde_json::from_str(&method.provider_data).unwrap_or_default();
        let method = Method::Saved(saved);
        let email = session.customer_email.as_deref().unwrap_or("");
        let charge = Charge { session: &session, attempt_id: &attempt.id, email, method: &method, save: false };
        match payments::authorize(services, provider.as_ref(), charge).await? {
            Authorization::RequiresAction { .. } => AUTHENTICATION_REQUIRED,
            answer => answer,
        }
    };
    tracing::info!(session = %session.id, attempt = %attempt.id, answer = ?answer, "off-session charge");
    Ok(services.store.resolve_attempt(&attempt.id, &answer.into_resolution(now_ms())).await?)
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

/// Forgets a customer's saved method at its provider and in Kassa: no
/// series charges it again. `by` names who asked (`merchant`, `customer`).
pub async fn detach(services: &Services, method: &PaymentMethodRecord, by: &str) -> Result<bool, DomainError> {
    let provider = services.providers.get(&services.store, &services.sealer, &method.provider, &method.site_id).await?;
    let saved = serde_json::from_str(&method.provider_data).unwrap_or_default();
    provider.forget(&saved).await?;
    Ok(services.store.detach_method(method, by).await?)
}
