//! `/v1/checkout/sessions`: create, retrieve, list, expire, cancel, capture.

use super::{
    extract::{ApiJson, ApiKey},
    idempotency::{self, Atomic, Claimed},
    object::{SessionList, SessionObject},
};
use crate::{
    error::ApiError,
    new_session::{self, CreateSessionRequest},
    series,
    store::{ClosedBy, ListFilter, Scope, SessionRecord, Store},
    AppState,
};
use app::lifecycle::{Event, Sequence, Status};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// Create a checkout session.
#[utoipa::path(post, path = "/v1/checkout/sessions", tag = "sessions",
    request_body = CreateSessionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the same answer")),
    responses((status = 201, body = SessionObject), (status = 400), (status = 401), (status = 404), (status = 409),
        (status = 415)),
    security(("bearer" = [])))]
pub async fn create_session(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    body: ApiJson<CreateSessionRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::SessionsWrite)?.to_string();
    let idempotency_key = idempotency::key(&headers)?;
    // A series payment goes where its saved method is kept.
    let method = series::method_for(&state, &merchant_id, key.live(), &body.value).await?;
    let site = body.value.site_id.as_deref().or(method.as_ref().map(|m| m.site_id.as_str()));
    let route = new_session::route_for(&state, &merchant_id, site, key.live()).await?;
    let mut new = new_session::validate(body.value, &merchant_id, route)?;
    if let Some(method) = method {
        new.customer.get_or_insert(method.customer);
    }
    let charges = new.sequence == Sequence::NextInSeries;
    if idempotency_key.is_none() {
        // Written with whatever other creates are waiting (store/creates.rs).
        let record = state.store.create_session(new).await?;
        let record = if charges { charged(&state, record).await } else { record };
        let json = serde_json::to_string(&SessionObject::new(record, &state.public_url))
            .map_err(|e| ApiError::Internal(e.into()))?;
        return Ok(idempotency::json_response(StatusCode::CREATED, json));
    }
    // With a key, the session and the key's answer commit together.
    let keyed = key.keyed_route("POST /v1/checkout/sessions");
    let route = (keyed.as_str(), &body.raw[..]);
    let mut change = match Atomic::begin(&state, &merchant_id, &headers, route, false).await? {
        Claimed::Go(change) => change,
        Claimed::Replayed(answer) => return Ok(answer),
    };
    let record = Store::insert_session(&mut change.tx, &new).await?;
    let json = serde_json::to_string(&SessionObject::new(record.clone(), &state.public_url))
        .map_err(|e| ApiError::Internal(e.into()))?;
    let answer = change.commit(&state, StatusCode::CREATED, json).await?;
    if !charges {
        return Ok(answer);
    }
    // Charged once the session and its key are stored: a retry with the key
    // gets the session as made (never a second one), and the worker charges
    // it should this process die first.
    let record = charged(&state, record).await;
    let json = serde_json::to_string(&SessionObject::new(record, &state.public_url))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(idempotency::json_response(StatusCode::CREATED, json))
}

/// A new `next_in_series` session after its saved method was charged, or as
/// made when the charge could not be made now (the worker tries again).
async fn charged(state: &AppState, record: SessionRecord) -> SessionRecord {
    match series::charge(state, &record.id).await {
        Ok(charged) => charged,
        Err(e) => {
            tracing::warn!(session = %record.id, error = %e, "a series payment is left to the worker");
            record
        }
    }
}

/// A merchant's own session in the key's mode, expired on the spot if its time is up.
async fn own_session(state: &AppState, key: &ApiKey, id: &str) -> Result<SessionRecord, ApiError> {
    let session = key.session(&state.store, id).await?.ok_or_else(|| ApiError::not_found("checkout session", id))?;
    Ok(state.store.expire_if_due(session).await?)
}

/// Retrieve a checkout session.
#[utoipa::path(get, path = "/v1/checkout/sessions/{id}", tag = "sessions",
    params(("id" = String, Path, description = "cs_…")),
    responses((status = 200, body = SessionObject), (status = 404)), security(("bearer" = [])))]
pub async fn retrieve_session(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<SessionObject>, ApiError> {
    key.require(Scope::SessionsRead)?;
    let session = own_session(&state, &key, &id).await?;
    Ok(Json(SessionObject::new(session, &state.public_url)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// 1 to 100, default 10.
    #[serde(default, deserialize_with = "crate::whole::option::from_text")]
    limit: Option<i64>,
    /// The id of the last session of the previous page.
    starting_after: Option<String>,
    /// `open`, `complete`, `expired` or `cancelled`.
    status: Option<String>,
    customer_email: Option<String>,
}

/// List checkout sessions, newest first.
#[utoipa::path(get, path = "/v1/checkout/sessions", tag = "sessions", params(ListQuery),
    responses((status = 200, body = SessionList), (status = 400)), security(("bearer" = [])))]
pub async fn list_sessions(
    State(state): State<AppState>,
    key: ApiKey,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SessionList>, ApiError> {
    let merchant_id = key.require(Scope::SessionsRead)?;
    let Query(query) =
        query.map_err(|e| ApiError::Invalid { code: "parameter_invalid", message: e.body_text(), param: None })?;
    let limit = query.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit", "parameter_invalid", "limit must be between 1 and 100"));
    }
    let status = match query.status.as_deref() {
        None => None,
        Some(text) => Some(Status::parse(text).ok_or_else(|| {
            ApiError::invalid("status", "parameter_invalid", "status must be open, complete, expired or cancelled")
        })?),
    };
    let after = match &query.starting_after {
        None => None,
        Some(id) => {
            let cursor = key
                .session(&state.store, id)
                .await?
                .ok_or_else(|| ApiError::no_such("starting_after", "checkout session", id))?;
            Some((cursor.created_at, cursor.id))
        }
    };
    let filter =
        ListFilter { livemode: key.live(), status, customer_email: query.customer_email, after, limit: limit + 1 };
    let mut sessions = state.store.list_sessions(merchant_id, &filter).await?;
    let has_more = sessions.len() as i64 > limit;
    sessions.truncate(limit as usize);
    let data = sessions.into_iter().map(|s| SessionObject::new(s, &state.public_url)).collect();
    Ok(Json(SessionList { object: "list", data, has_more }))
}

/// The session a change left behind, as the API's JSON.
async fn session_json(
    state: &AppState,
    change: impl std::future::Future<Output = Result<SessionRecord, ApiError>>,
) -> Result<(StatusCode, String), ApiError> {
    let session = change.await?;
    let json = serde_json::to_string(&SessionObject::new(session, &state.public_url))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok((StatusCode::OK, json))
}

async fn close(
    state: AppState,
    key: ApiKey,
    headers: HeaderMap,
    id: String,
    event: Event,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::SessionsWrite)?.to_string();
    let verb = if event == Event::Cancel { "cancel" } else { "expire" };
    let route = key.keyed_route(&format!("POST /v1/checkout/sessions/{id}/{verb}"));
    let change = async {
        let session = own_session(&state, &key, &id).await?;
        if event == Event::Expire && session.state().status == Status::Expired {
            return Ok(session);
        }
        Ok(state.store.close_session(&session.id, event, ClosedBy::Merchant).await?)
    };
    idempotency::run(&state, &merchant_id, &headers, &route, b"", session_json(&state, change)).await
}

/// Expire an open session now. Refused while a payment is in flight.
#[utoipa::path(post, path = "/v1/checkout/sessions/{id}/expire", tag = "sessions",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = SessionObject), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn expire_session(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    close(state, key, headers, id, Event::Expire).await
}

/// Cancel an open session. Refused while a payment is in flight.
#[utoipa::path(post, path = "/v1/checkout/sessions/{id}/cancel", tag = "sessions",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = SessionObject), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn cancel_session(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    close(state, key, headers, id, Event::Cancel).await
}

/// Capture an authorized (manual-capture) payment.
#[utoipa::path(post, path = "/v1/checkout/sessions/{id}/capture", tag = "sessions",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = SessionObject), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn capture_session(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::SessionsWrite)?.to_string();
    let route = key.keyed_route(&format!("POST /v1/checkout/sessions/{id}/capture"));
    let change = async {
        let session = own_session(&state, &key, &id).await?;
        Ok(crate::payments::capture(&state, &session).await?)
    };
    idempotency::run(&state, &merchant_id, &headers, &route, b"", session_json(&state, change)).await
}
