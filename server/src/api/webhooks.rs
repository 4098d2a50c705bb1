//! `/v1/webhook_endpoints` and their deliveries.

use super::{
    extract::{ApiJson, ApiKey},
    idempotency::{self, Atomic, Claimed},
};
use crate::{
    error::ApiError,
    store::{DeliveryRecord, EndpointChange, EndpointRecord, Scope, Store},
    time::{now_ms, rfc3339},
    webhooks::{self, EVENT_TYPES},
    AppState,
};
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointObject {
    pub id: String,
    /// Always `webhook_endpoint`.
    pub object: &'static str,
    pub url: String,
    pub description: Option<String>,
    pub enabled_events: Vec<String>,
    /// `enabled` or `disabled`.
    pub status: String,
    pub disabled_reason: Option<String>,
    /// The signing secret: only in the answer that made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: String,
}

impl EndpointObject {
    fn new(e: EndpointRecord, secret: Option<String>) -> Self {
        EndpointObject {
            enabled_events: e.event_types.split(' ').map(String::from).collect(),
            id: e.id,
            object: "webhook_endpoint",
            url: e.url,
            description: e.description,
            status: e.status,
            disabled_reason: e.disabled_reason,
            secret,
            created_at: rfc3339(e.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointRequest {
    pub url: Option<String>,
    pub description: Option<String>,
    /// Event types, or `["*"]` for all.
    pub enabled_events: Option<Vec<String>>,
    /// On update: `true` stops sending, `false` starts again.
    pub disabled: Option<bool>,
}

fn check(state: &AppState, request: &EndpointRequest) -> Result<Option<String>, ApiError> {
    if let Some(url) = &request.url {
        if url.chars().count() > 2048 {
            return Err(ApiError::invalid("url", "url_invalid", "`url` must be at most 2048 characters"));
        }
        webhooks::check_url(url, state.webhooks_allow_private)
            .map_err(|m| ApiError::invalid("url", "url_invalid", m))?;
    }
    if request.description.as_ref().is_some_and(|d| d.chars().count() > 500) {
        return Err(ApiError::invalid(
            "description",
            "parameter_invalid",
            "description must be at most 500 characters",
        ));
    }
    let Some(events) = &request.enabled_events else { return Ok(None) };
    if events.is_empty() {
        return Err(ApiError::invalid("enabled_events", "parameter_invalid", "name at least one event type, or \"*\""));
    }
    for (i, kind) in events.iter().enumerate() {
        if kind != "*" && !EVENT_TYPES.contains(&kind.as_str()) {
            return Err(ApiError::invalid(
                format!("enabled_events[{i}]"),
                "parameter_invalid",
                format!("unknown event type `{kind}`"),
            ));
        }
    }
    Ok(Some(if events.iter().any(|k| k == "*") { "*".to_string() } else { events.join(" ") }))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))
}

/// Create a webhook endpoint. The answer holds its signing secret, once.
#[utoipa::path(post, path = "/v1/webhook_endpoints", tag = "webhooks", request_body = EndpointRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = EndpointObject), (status = 400)), security(("bearer" = [])))]
pub async fn create_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    body: ApiJson<EndpointRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?.to_string();
    let request = body.value;
    let Some(url) = request.url.clone() else {
        return Err(ApiError::invalid("url", "parameter_missing", "give the `url` to send events to"));
    };
    let event_types = check(&state, &request)?.unwrap_or_else(|| "*".into());
    let route = ("POST /v1/webhook_endpoints", &body.raw[..]);
    let mut change = match Atomic::begin(&state, &merchant_id, &headers, route, true).await? {
        Claimed::Go(change) => change,
        Claimed::Replayed(answer) => return Ok(answer),
    };
    let secret = webhooks::new_secret();
    let (target, sealed) = ((url.as_str(), request.description.as_deref()), state.sealer.seal(&secret));
    let endpoint = Store::insert_endpoint(&mut change.tx, &merchant_id, target, &event_types, &sealed).await?;
    let json = to_json(&EndpointObject::new(endpoint, Some(secret)))?;
    change.commit(&state, StatusCode::CREATED, json).await
}

/// List webhook endpoints.
#[utoipa::path(get, path = "/v1/webhook_endpoints", tag = "webhooks",
    responses((status = 200, body = Vec<EndpointObject>)), security(("bearer" = [])))]
pub async fn list_endpoints(State(state): State<AppState>, key: ApiKey) -> Result<Json<Vec<EndpointObject>>, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?;
    let endpoints = state.store.endpoints_of(merchant_id).await?;
    Ok(Json(endpoints.into_iter().map(|e| EndpointObject::new(e, None)).collect()))
}

async fn own(state: &AppState, merchant_id: &str, id: &str) -> Result<EndpointRecord, ApiError> {
    state.store.endpoint(merchant_id, id).await?.ok_or_else(|| ApiError::not_found("webhook endpoint", id))
}

/// Retrieve a webhook endpoint.
#[utoipa::path(get, path = "/v1/webhook_endpoints/{id}", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 200, body = EndpointObject), (status = 404)), security(("bearer" = [])))]
pub async fn retrieve_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<EndpointObject>, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?;
    Ok(Json(EndpointObject::new(own(&state, merchant_id, &id).await?, None)))
}

/// Update a webhook endpoint: URL, description, event types, or disable it.
#[utoipa::path(post, path = "/v1/webhook_endpoints/{id}", tag = "webhooks", request_body = EndpointRequest,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = EndpointObject), (status = 400), (status = 404)), security(("bearer" = [])))]
pub async fn update_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: ApiJson<EndpointRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?.to_string();
    let request = body.value;
    let event_types = check(&state, &request)?;
    let route = format!("POST /v1/webhook_endpoints/{id}");
    let change = async {
        own(&state, &merchant_id, &id).await?;
        let change = EndpointChange {
            url: request.url.clone(),
            description: request.description.clone(),
            event_types,
            enabled: request.disabled.map(|d| !d),
        };
        let endpoint = state.store.update_endpoint(&merchant_id, &id, &change).await?;
        Ok((StatusCode::OK, to_json(&EndpointObject::new(endpoint, None))?))
    };
    idempotency::run(&state, &merchant_id, &headers, &route, &body.raw, change).await
}

/// Delete a webhook endpoint: nothing more is sent to it.
#[utoipa::path(delete, path = "/v1/webhook_endpoints/{id}", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 200), (status = 404)), security(("bearer" = [])))]
pub async fn delete_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?;
    state.store.delete_endpoint(merchant_id, &id).await?;
    Ok(Json(serde_json::json!({"id": id, "object": "webhook_endpoint", "deleted": true})))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollRequest {
    /// Seconds the old secret keeps signing beside the new one: 0 to 604800, default 86400.
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub expires_in: Option<i64>,
}

/// Make a new signing secret; the old one also signs until it expires.
#[utoipa::path(post, path = "/v1/webhook_endpoints/{id}/roll_secret", tag = "webhooks", request_body = RollRequest,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = EndpointObject), (status = 404)), security(("bearer" = [])))]
pub async fn roll_secret(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: ApiJson<RollRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?.to_string();
    let expires_in = body.value.expires_in.unwrap_or(86_400);
    if !(0..=604_800).contains(&expires_in) {
        return Err(ApiError::invalid("expires_in", "parameter_invalid", "expires_in must be 0 to 604800 seconds"));
    }
    let route = format!("POST /v1/webhook_endpoints/{id}/roll_secret");
    let change = async {
        let secret = webhooks::new_secret();
        let until = now_ms() + expires_in * 1000;
        let endpoint = state.store.roll_endpoint_secret(&merchant_id, &id, &state.sealer.seal(&secret), until).await?;
        Ok((StatusCode::OK, to_json(&EndpointObject::new(endpoint, Some(secret)))?))
    };
    idempotency::run_sealed(&state, &merchant_id, &headers, &route, &body.raw, change).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryObject {
    pub id: String,
    pub object: &'static str,
    pub endpoint_id: String,
    pub event_id: String,
    pub session_id: Option<String>,
    /// `pending`, `succeeded`, `failed` (gave up) or `cancelled`.
    pub status: String,
    pub attempts: Vec<AttemptObject>,
    pub next_attempt_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptObject {
    pub attempted_at: String,
    pub http_status: Option<i64>,
    pub latency_ms: i64,
    /// The first 2 KB of the answer.
    pub response: Option<String>,
    pub error: Option<String>,
}

async fn delivery_object(state: &AppState, d: DeliveryRecord) -> Result<DeliveryObject, ApiError> {
    let attempts = state
        .store
        .webhook_attempts(&d.id)
        .await?
        .into_iter()
        .map(|a| AttemptObject {
            attempted_at: rfc3339(a.attempted_at),
            http_status: a.http_status,
            latency_ms: a.latency_ms,
            response: a.response_excerpt,
            error: a.error,
        })
        .collect();
    Ok(DeliveryObject {
        next_attempt_at: (d.status == "pending").then(|| rfc3339(d.next_attempt_at)),
        id: d.id,
        object: "webhook_delivery",
        endpoint_id: d.endpoint_id,
        event_id: d.event_id,
        session_id: d.session_id,
        status: d.status,
        attempts,
        created_at: rfc3339(d.created_at),
    })
}

/// Send a `webhook_endpoint.test` event to this endpoint.
#[utoipa::path(post, path = "/v1/webhook_endpoints/{id}/test", tag = "webhooks",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = DeliveryObject), (status = 404)), security(("bearer" = [])))]
pub async fn test_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?.to_string();
    let route = format!("POST /v1/webhook_endpoints/{id}/test");
    let change = async {
        let endpoint = own(&state, &merchant_id, &id).await?;
        let delivery_id = state.store.send_test_event(&endpoint).await?;
        let delivery = state
            .store
            .delivery(&merchant_id, &delivery_id)
            .await?
            .ok_or_else(|| ApiError::not_found("webhook delivery", &delivery_id))?;
        Ok((StatusCode::CREATED, to_json(&delivery_object(&state, delivery).await?)?))
    };
    idempotency::run(&state, &merchant_id, &headers, &route, b"", change).await
}

/// The endpoint's latest deliveries, each with every try.
#[utoipa::path(get, path = "/v1/webhook_endpoints/{id}/deliveries", tag = "webhooks", params(("id" = String, Path)),
    responses((status = 200, body = Vec<DeliveryObject>), (status = 404)), security(("bearer" = [])))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<Vec<DeliveryObject>>, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?;
    let endpoint = own(&state, merchant_id, &id).await?;
    let mut out = Vec::new();
    for d in state.store.deliveries_of_endpoint(&endpoint.id, 100).await? {
        out.push(delivery_object(&state, d).await?);
    }
    Ok(Json(out))
}

/// Send a delivery again now.
#[utoipa::path(post, path = "/v1/webhook_deliveries/{id}/redeliver", tag = "webhooks",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = DeliveryObject), (status = 404)), security(("bearer" = [])))]
pub async fn redeliver(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::WebhooksWrite)?.to_string();
    let route = format!("POST /v1/webhook_deliveries/{id}/redeliver");
    let change = async {
        let delivery = state.store.redeliver(&merchant_id, &id).await?;
        Ok((StatusCode::OK, to_json(&delivery_object(&state, delivery).await?)?))
    };
    idempotency::run(&state, &merchant_id, &headers, &route, b"", change).await
}
