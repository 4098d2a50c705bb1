//! `/v1/sites/{id}/provider_route`: where a site's live payments go.

use super::extract::{ApiJson, ApiKey};
use crate::{
    error::ApiError,
    provider_route::{self, RouteRequest},
    store::{ProviderRoute, Scope},
    time::rfc3339,
    AppState,
};
use axum::{
    extract::{Path, State},
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A site's provider route. The secret key and the webhook signing secret
/// are never shown again after saving.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderRouteObject {
    /// Always `provider_route`.
    pub object: &'static str,
    pub site_id: String,
    /// `stripe`.
    pub provider: String,
    pub publishable_key: String,
    /// The secret key's last four characters, to tell keys apart.
    pub secret_key_last4: String,
    /// Whether the keys are Stripe live keys (false: Stripe's test data).
    pub live_keys: bool,
    /// Point the provider's webhook endpoint here.
    pub webhook_url: String,
    pub created_at: String,
    pub updated_at: String,
}

impl ProviderRouteObject {
    fn new(route: ProviderRoute, public_url: &str) -> Self {
        ProviderRouteObject {
            object: "provider_route",
            webhook_url: provider_route::webhook_url(public_url, &route.provider, &route.site_id),
            live_keys: route.publishable_key.starts_with("pk_live_"),
            site_id: route.site_id,
            provider: route.provider,
            publishable_key: route.publishable_key,
            secret_key_last4: route.secret_key_last4,
            created_at: rfc3339(route.created_at),
            updated_at: rfc3339(route.updated_at),
        }
    }
}

/// Retrieve a site's provider route.
#[utoipa::path(get, path = "/v1/sites/{id}/provider_route", tag = "sites", params(("id" = String, Path)),
    responses((status = 200, body = ProviderRouteObject), (status = 404)), security(("bearer" = [])))]
pub async fn retrieve_route(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<ProviderRouteObject>, ApiError> {
    let merchant_id = key.require(Scope::SessionsRead)?;
    state.store.site(merchant_id, &id).await?.ok_or_else(|| ApiError::not_found("site", &id))?;
    let route = state.store.provider_route(&id).await?.ok_or_else(|| ApiError::not_found("provider route", &id))?;
    Ok(Json(ProviderRouteObject::new(route, &state.public_url)))
}

/// Set (or replace) the processor that takes the site's live payments, and
/// its credentials. Sessions made with a live key (`sk_live_…`) need one.
#[utoipa::path(put, path = "/v1/sites/{id}/provider_route", tag = "sites", request_body = RouteRequest,
    params(("id" = String, Path)),
    responses((status = 200, body = ProviderRouteObject), (status = 400), (status = 404)), security(("bearer" = [])))]
pub async fn set_route(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    body: ApiJson<RouteRequest>,
) -> Result<Json<ProviderRouteObject>, ApiError> {
    let merchant_id = key.require(provider_route::SCOPE)?.to_string();
    let route = provider_route::set_route(&state, &merchant_id, &id, body.value).await?;
    Ok(Json(ProviderRouteObject::new(route, &state.public_url)))
}
