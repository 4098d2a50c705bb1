//! The partner status API of seed 004: the single source of truth a merchant
//! polls, in its own camelCase shape.

use super::extract::ApiKey;
use crate::{
    error::{trace_id, ApiError},
    store::Scope,
    time::rfc3339,
    AppState,
};
use app::views::{partner_status, PartnerOutcome, PartnerStatus};
use axum::{
    extract::{Path, State},
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusData {
    pub checkout_session_id: String,
    /// The merchant's order id (empty when none was given).
    pub order_id: String,
    pub site_id: String,
    #[schema(value_type = String, example = "Completed")]
    pub status: PartnerStatus,
    /// Only once the session is terminal.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "Succeeded")]
    pub outcome: Option<PartnerOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_intent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    pub expires_at: String,
    pub updated_at: String,
    /// Partner-safe description of the last failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    pub data: StatusData,
    #[serde(rename = "traceId")]
    pub trace_id: String,
}

/// Get the authoritative status of a checkout session.
#[utoipa::path(get, path = "/checkout/{siteId}/session/{checkoutSessionId}/status", tag = "status",
    params(("siteId" = String, Path), ("checkoutSessionId" = String, Path)),
    responses((status = 200, body = StatusResponse), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = ["status:read"])))]
pub async fn session_status(
    State(state): State<AppState>,
    key: ApiKey,
    Path((site_id, session_id)): Path<(String, String)>,
) -> Result<Json<StatusResponse>, ApiError> {
    key.require(Scope::StatusRead)?;
    let session = key
        .session(&state.store, &session_id)
        .await?
        .filter(|s| s.site_id == site_id)
        .ok_or_else(|| ApiError::not_found("checkout session", &session_id))?;
    let session = state.store.expire_if_due(session).await?;
    let (status, outcome) = partner_status(&session.snapshot());
    let data = StatusData {
        failure_reason: session.failure_message.clone().filter(|_| session.outcome == app::lifecycle::Outcome::Unpaid),
        checkout_session_id: session.id,
        order_id: session.order_id.unwrap_or_default(),
        site_id: session.site_id,
        status,
        outcome,
        payment_intent_id: session.attempt_id,
        transaction_id: session.payment_id,
        expires_at: rfc3339(session.expires_at),
        updated_at: rfc3339(session.updated_at),
    };
    Ok(Json(StatusResponse { data, trace_id: trace_id() }))
}
