//! Paying: the steps between the customer's card form, the provider and the
//! store. The card lives only inside these calls.

use crate::{
    domain_error::DomainError,
    provider::{Charge, Method, ProviderError},
    store::{AttemptRecord, AttemptResolution, NewAttempt, SessionRecord, StoreError},
    time::{now_ms, year_month},
    Services,
};
pub use app::checks::PayForm;
use app::checks::{check_form, CardDetails, Problem};
use app::lifecycle::{apply, AttemptStatus, Event, Outcome};
use std::net::IpAddr;

/// Where a payment stands after the customer pressed pay.
#[derive(Debug, PartialEq)]
pub enum PayResult {
    Succeeded,
    Declined,
    /// The customer must pass the bank's challenge for this attempt.
    Challenge(String),
    Processing,
}

#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error("the form has mistakes")]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Refused(#[from] StoreError),
    /// The provider would not take the method, or could not be reached.
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// `client` is the customer's address, for the limits across sessions.
pub async fn pay(
    state: &Services,
    session_id: &str,
    form: &PayForm,
    client: Option<IpAddr>,
) -> Result<PayResult, PayError> {
    let card = check(form).map_err(PayError::Invalid)?;
    pay_card(state, session_id, card, &form.email, client).await
}

/// The form's card, once every check passed (the same checks the browser ran).
pub fn check(form: &PayForm) -> Result<CardDetails, Vec<Problem>> {
    check_form(&form.input(), year_month(now_ms()))
}

/// Pays with a card [`check`] passed; `email` as the payer typed it.
pub async fn pay_card(
    state: &Services,
    session_id: &str,
    card: CardDetails,
    email: &str,
    client: Option<IpAddr>,
) -> Result<PayResult, PayError> {
    let tries = Tries::of(state, client, Some(&card.number));
    pay_with(state, session_id, Method::Card(card), email, tries).await
}

/// Pays with the token a processor's own element made in the customer's
/// browser (Stripe's `tok_…`): the card never reached Kassa.
pub async fn pay_token(
    state: &Services,
    session_id: &str,
    token: String,
    email: &str,
    client: Option<IpAddr>,
) -> Result<PayResult, PayError> {
    if let Err(problem) = app::checks::check_email(email) {
        return Err(PayError::Invalid(vec![problem]));
    }
    let tries = Tries::of(state, client, None);
    pay_with(state, session_id, Method::Token(token), email, tries).await
}

async fn pay_with(
    state: &Services,
    session_id: &str,
    method: Method,
    email: &str,
    tries: Tries,
) -> Result<PayResult, PayError> {
    let session =
        state.store.session(session_id).await?.ok_or(StoreError::NotFound("checkout session", session_id.into()))?;
    let provider = state.provider_of(&session).await?;
    let card = provider.describe(&method).await?;
    let new = NewAttempt {
        provider: provider.name(),
        brand: card.brand,
        last4: card.last4,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
    };
    let attempt = state.store.start_attempt(session_id, Some(email.trim()), &new).await?;
    let answer = match tries.count(state).await? {
        Some(refusal) => refusal,
        None => {
            let save = session.saves_method();
            let charge =
                Charge { session: &session, attempt_id: &attempt.id, email: email.trim(), method: &method, save };
            authorize(state, provider.as_ref(), charge).await?.into_resolution(now_ms())
        }
    };
    drop(method);
    tracing::info!(session = session_id, attempt = %attempt.id, answer = ?answer, "authorization");
    let resolved = state.store.resolve_attempt(&attempt.id, &answer).await?;
    let result = result_of(&resolved, &attempt.id);
    if result == PayResult::Succeeded {
        tries.forgive(state).await;
    }
    Ok(result)
}

/// Asks the provider for the charge, keeping what it names: its own id for
/// the payment, and what it keeps of a card the session saves.
pub(crate) async fn authorize(
    state: &Services,
    provider: &dyn crate::provider::PaymentProvider,
    charge: Charge<'_>,
) -> Result<crate::provider::Authorization, StoreError> {
    let attempt_id = charge.attempt_id;
    let answer = provider.authorize(charge).await;
    if let Some(reference) = &answer.reference {
        state.store.set_provider_ref(attempt_id, reference).await?;
    }
    if let Some(saved) = &answer.saved {
        state.store.set_saved_method(attempt_id, saved).await?;
    }
    Ok(answer.authorization)
}

/// The code of an attempt refused before it reached the provider, because
/// its address or card failed too often lately (card testing).
pub const TOO_MANY_FAILURES: &str = "too_many_failures";

/// A payment's tries, counted under the customer's address and the card's
/// fingerprint across sessions: every try counts until it goes through.
struct Tries {
    keys: Vec<(String, i64, &'static str)>,
    window_ms: i64,
}

impl Tries {
    /// `number`: the card's, when Kassa saw it (the sandbox's form).
    fn of(state: &Services, client: Option<IpAddr>, number: Option<&str>) -> Tries {
        let limits = &state.limits;
        let mut keys = Vec::new();
        if let Some(ip) = client {
            let why = "Refused before reaching the bank: too many failed payments from this address lately.";
            keys.push((format!("pay-ip:{ip}"), limits.address_failed_payments, why));
        }
        if let Some(number) = number {
            let why = "Refused before reaching the bank: too many failed payments with this card lately.";
            keys.push((
                format!("pay-card:{}", state.sealer.card_fingerprint(number)),
                limits.card_failed_payments,
                why,
            ));
        }
        Tries { keys, window_ms: limits.failed_payments_window_ms() }
    }

    /// Counts this try; the refusal to record instead of asking the
    /// provider when a key is over its limit.
    async fn count(&self, state: &Services) -> Result<Option<AttemptResolution>, StoreError> {
        let mut refusal = None;
        for (key, limit, why) in &self.keys {
            let (tries, _) = state.store.count_try(key, now_ms(), self.window_ms).await?;
            if tries > *limit && refusal.is_none() {
                refusal = Some(AttemptResolution::Failed { code: TOO_MANY_FAILURES.into(), message: why.to_string() });
            }
        }
        Ok(refusal)
    }

    async fn forgive(&self, state: &Services) {
        for (key, ..) in &self.keys {
            if let Err(e) = state.store.forgive_try(key).await {
                tracing::warn!(error = ?e, "could not take back a payment try that went through");
            }
        }
    }
}

fn result_of(session: &SessionRecord, attempt_id: &str) -> PayResult {
    match (session.state().outcome, session.attempt_status.as_deref().and_then(AttemptStatus::parse)) {
        (Outcome::Pending, Some(AttemptStatus::RequiresAction)) => PayResult::Challenge(attempt_id.to_string()),
        (Outcome::Pending, _) => PayResult::Processing,
        (Outcome::Unpaid, _) => PayResult::Declined,
        _ => PayResult::Succeeded,
    }
}

/// The provider that took the attempt (the session's, by its route).
async fn provider_of_attempt(
    state: &Services,
    attempt: &AttemptRecord,
) -> Result<std::sync::Arc<dyn crate::provider::PaymentProvider>, PayError> {
    let session = state
        .store
        .session(&attempt.session_id)
        .await?
        .ok_or_else(|| StoreError::NotFound("checkout session", attempt.session_id.clone()))?;
    Ok(state.provider_of(&session).await?)
}

/// The customer's answer on the 3-D Secure page.
pub async fn complete_challenge(
    state: &Services,
    attempt: &AttemptRecord,
    approved: bool,
) -> Result<PayResult, PayError> {
    let answer = provider_of_attempt(state, attempt).await?.complete_action(attempt, approved).await;
    // The processor still waits for the bank's check (the page said done too soon).
    if matches!(answer, crate::provider::Authorization::RequiresAction { .. }) {
        return Ok(PayResult::Challenge(attempt.id.clone()));
    }
    let session = state.store.resolve_attempt(&attempt.id, &answer.into_resolution(now_ms())).await?;
    Ok(result_of(&session, &attempt.id))
}

/// How long an authorisation may take before the attempt is taken for lost
/// (its process died) and the provider is asked what became of it.
pub const STALE_AFTER_MS: i64 = 60_000;

/// Asks the provider about asynchronous attempts whose answer is due, and
/// about attempts a dead process left half-way.
pub async fn resolve_due_attempts(state: &Services) -> Result<usize, StoreError> {
    let mut due = state.store.attempts_due(now_ms(), 50).await?;
    due.extend(state.store.stale_attempts(now_ms() - STALE_AFTER_MS, 50).await?);
    let mut resolved = 0;
    for attempt in due {
        // A series charge Kassa never heard back about has no id to read
        // back: it is asked again, under the same idempotency keys.
        let session = state.store.session(&attempt.session_id).await?;
        if session.as_ref().is_some_and(|s| crate::series::answer_lost(s, &attempt)) {
            match crate::series::charge_again(state, &attempt).await {
                Ok(()) => resolved += 1,
                Err(e) => tracing::warn!(attempt = %attempt.id, error = %e, "could not ask about a series charge"),
            }
            continue;
        }
        let provider = match provider_of_attempt(state, &attempt).await {
            Ok(provider) => provider,
            Err(e) => {
                tracing::warn!(attempt = %attempt.id, error = %e, "cannot ask the provider about an attempt");
                continue;
            }
        };
        let answer = provider.check(&attempt).await;
        let succeeded = answer == crate::provider::Authorization::Succeeded;
        match state.store.resolve_attempt(&attempt.id, &answer.into_resolution(now_ms())).await {
            Ok(_) => resolved += 1,
            // Resolved meanwhile by someone else: nothing left to do.
            Err(StoreError::Conflict | StoreError::Lifecycle(_)) => {}
            Err(e) => return Err(e),
        }
        if succeeded {
            crate::reconcile::give_back_if_not_counted(state, provider.as_ref(), &attempt.id).await?;
        }
    }
    Ok(resolved)
}

/// Captures a manual-capture payment at the provider, then in the store.
pub async fn capture(state: &Services, session: &SessionRecord) -> Result<SessionRecord, DomainError> {
    apply(session.state(), Event::CapturePayment).map_err(StoreError::from)?;
    let attempt = state.store.paid_attempt(&session.id).await?.ok_or(StoreError::Conflict)?;
    let provider = state.provider_of(session).await?;
    provider.capture(&attempt, session.amount).await.map_err(|reason| match reason {
        ProviderError::Refused(reason) => DomainError::Conflict {
            code: "capture_failed",
            message: format!("the provider refused the capture: {reason}"),
        },
        other => other.into(),
    })?;
    Ok(state.store.capture_session(&session.id).await?)
}
