//! Answers a provider gives outside the customer's request: its callbacks
//! (Stripe's webhooks). They go through the same conditional change as
//! the customer's own answer, so whichever arrives first decides and the
//! other changes nothing.

use crate::{
    provider::{News, PaymentProvider},
    store::StoreError,
    time::now_ms,
    Services,
};

/// Applies what a callback from `provider` for site `site_id` says. A
/// payment Kassa does not know (another Kassa's, or one of the provider
/// account's own) is none of its business.
pub async fn apply_news(
    services: &Services,
    provider: &dyn PaymentProvider,
    site_id: &str,
    news: News,
) -> Result<(), StoreError> {
    let Some(attempt) = services.store.attempt_by_ref(provider.name(), &news.reference).await? else {
        return Ok(());
    };
    let session = services.store.session(&attempt.session_id).await?;
    if session.is_none_or(|s| s.site_id != site_id) || !attempt.status.in_flight() {
        return Ok(());
    }
    let resolution = news.authorization.into_resolution(now_ms());
    tracing::info!(attempt = %attempt.id, answer = ?resolution, "provider callback");
    match services.store.resolve_attempt(&attempt.id, &resolution).await {
        // Settled meanwhile by the customer's page or another callback.
        Ok(_) | Err(StoreError::Conflict | StoreError::Lifecycle(_)) => Ok(()),
        Err(e) => Err(e),
    }
}
