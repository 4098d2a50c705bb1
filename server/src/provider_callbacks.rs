//! `/providers/{provider}/webhook/{site}`: a processor's own callbacks for a
//! site's payments. Each is verified with the site's signing secret, taken
//! once by its id (a repeat answers 200 and changes nothing), and applied
//! through the same conditional state changes as the customer's own
//! answer, so a callback that arrives first, last or twice agrees with it.

use crate::{reconcile, time::now_ms, AppState};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

pub async fn receive(
    State(state): State<AppState>,
    Path((provider, site_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let stripe = match state.providers.stripe_of(&state.store, &state.sealer, &site_id).await {
        Ok(Some(stripe)) if provider == "stripe" => stripe,
        Ok(_) => return (StatusCode::NOT_FOUND, "no such provider route").into_response(),
        Err(e) => {
            tracing::error!(site = %site_id, error = %e, "a provider callback's route could not be read");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again later").into_response();
        }
    };
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    let callback = match crate::provider::PaymentProvider::parse_callback(&stripe, signature, &body, now_ms() / 1000) {
        Ok(callback) => callback,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let Some(news) = callback.news else {
        return (StatusCode::OK, "ignored").into_response();
    };
    match state.store.take_provider_callback(&provider, &callback.id).await {
        Ok(true) => {}
        Ok(false) => return (StatusCode::OK, "already applied").into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "a provider callback could not be recorded");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again later").into_response();
        }
    }
    match reconcile::apply_news(&state, &stripe, &site_id, news).await {
        Ok(()) => (StatusCode::OK, "applied").into_response(),
        Err(e) => {
            // Given back, so the provider's next try is applied.
            let _ = state.store.release_provider_callback(&provider, &callback.id).await;
            tracing::error!(event = %callback.id, error = ?e, "a provider callback could not be applied");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later").into_response()
        }
    }
}
