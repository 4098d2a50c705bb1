//! `/v1/refunds`: give back all or part of a paid session.

use super::{
    extract::{ApiJson, ApiKey},
    idempotency::{Atomic, Claimed},
};
use crate::{
    error::ApiError,
    store::{RefundRecord, Scope, Store},
    time::rfc3339,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRefundRequest {
    /// The paid checkout session to refund.
    pub session_id: String,
    /// In minor units; all that remains when left out.
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub amount: Option<i64>,
    /// Why, for the merchant's records (at most 500 characters).
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundObject {
    pub id: String,
    /// Always `refund`.
    pub object: &'static str,
    pub session_id: String,
    pub payment_id: String,
    pub amount: i64,
    pub currency: String,
    pub reason: Option<String>,
    pub created_at: String,
}

impl From<RefundRecord> for RefundObject {
    fn from(r: RefundRecord) -> Self {
        RefundObject {
            id: r.id,
            object: "refund",
            session_id: r.session_id,
            payment_id: r.payment_id,
            amount: r.amount,
            currency: r.currency,
            reason: r.reason,
            created_at: rfc3339(r.created_at),
        }
    }
}

/// Refund all or part of a paid session; never more than remains.
#[utoipa::path(post, path = "/v1/refunds", tag = "refunds", request_body = CreateRefundRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = RefundObject), (status = 400), (status = 404), (status = 409)),
    security(("bearer" = [])))]
pub async fn create_refund(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    body: ApiJson<CreateRefundRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::SessionsWrite)?.to_string();
    let request = body.value;
    if request.amount.is_some_and(|a| a <= 0) {
        return Err(ApiError::invalid("amount", "amount_invalid", "amount must be greater than zero"));
    }
    if request.reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(ApiError::invalid("reason", "parameter_invalid", "reason must be at most 500 characters"));
    }
    let session = key
        .session(&state.store, &request.session_id)
        .await?
        .ok_or_else(|| ApiError::no_such("session_id", "checkout session", &request.session_id))?;
    let route = key.keyed_route("POST /v1/refunds");
    if session.provider != crate::new_session::Route::SANDBOX {
        // A processor's refund is held, asked, then settled (refunding.rs):
        // the processor's answer cannot commit with the key's.
        let change = async {
            let refund = crate::refunding::refund(&state, &session, request.amount, request.reason.as_deref()).await?;
            let json = serde_json::to_string(&RefundObject::from(refund)).map_err(|e| ApiError::Internal(e.into()))?;
            Ok((StatusCode::CREATED, json))
        };
        return super::idempotency::run(&state, &merchant_id, &headers, &route, &body.raw, change).await;
    }
    // The refund, its key and its answer commit together: money never goes back twice.
    let route = (route.as_str(), &body.raw[..]);
    let mut change = match Atomic::begin(&state, &merchant_id, &headers, route, false).await? {
        Claimed::Go(change) => change,
        Claimed::Replayed(answer) => return Ok(answer),
    };
    let refund = Store::refund_in(&mut change.tx, &session.id, request.amount, request.reason.as_deref()).await?;
    let json = serde_json::to_string(&RefundObject::from(refund)).map_err(|e| ApiError::Internal(e.into()))?;
    change.commit(&state, StatusCode::CREATED, json).await
}

/// The refunds of a session, oldest first.
#[utoipa::path(get, path = "/v1/checkout/sessions/{id}/refunds", tag = "refunds", params(("id" = String, Path)),
    responses((status = 200, body = Vec<RefundObject>), (status = 404)), security(("bearer" = [])))]
pub async fn list_refunds(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<Vec<RefundObject>>, ApiError> {
    key.require(Scope::SessionsRead)?;
    let session = key.session(&state.store, &id).await?.ok_or_else(|| ApiError::not_found("checkout session", &id))?;
    Ok(Json(state.store.refunds_of(&session.id).await?.into_iter().map(RefundObject::from).collect()))
}
