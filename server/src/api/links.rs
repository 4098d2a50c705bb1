//! `/v1/payment_links`: reusable URLs; every visit makes a fresh session.

use super::{
    extract::{ApiJson, ApiKey},
    idempotency::{self, Atomic, Claimed},
};
use crate::{
    error::ApiError,
    new_link::{new_link, CreateLinkRequest},
    store::{LinkRecord, Scope, Store},
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
pub struct UpdateLinkRequest {
    pub title: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkObject {
    pub id: String,
    /// Always `payment_link`.
    pub object: &'static str,
    pub url: String,
    pub title: String,
    pub active: bool,
    pub currency: String,
    pub amount: Option<i64>,
    pub min_amount: Option<i64>,
    pub max_amount: Option<i64>,
    pub adjustable_quantity: bool,
    pub max_quantity: i64,
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    pub success_url: Option<String>,
    pub created_at: String,
}

impl LinkObject {
    pub fn new(l: LinkRecord, public_url: &str) -> Self {
        LinkObject {
            url: format!("{public_url}/l/{}", l.slug),
            id: l.id,
            object: "payment_link",
            title: l.title,
            active: l.active != 0,
            currency: l.currency,
            amount: l.amount,
            min_amount: l.min_amount,
            max_amount: l.max_amount,
            adjustable_quantity: l.adjustable_quantity != 0,
            max_quantity: l.max_quantity,
            metadata: serde_json::from_str(&l.metadata).unwrap_or_default(),
            success_url: l.success_url,
            created_at: rfc3339(l.created_at),
        }
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))
}

/// Create a payment link.
#[utoipa::path(post, path = "/v1/payment_links", tag = "payment links", request_body = CreateLinkRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = LinkObject), (status = 400)), security(("bearer" = [])))]
pub async fn create_link(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    body: ApiJson<CreateLinkRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::SessionsWrite)?.to_string();
    let request = body.value;
    let new = new_link(&state, &merchant_id, &request).await?;
    let route = ("POST /v1/payment_links", &body.raw[..]);
    let mut change = match Atomic::begin(&state, &merchant_id, &headers, route, false).await? {
        Claimed::Go(change) => change,
        Claimed::Replayed(answer) => return Ok(answer),
    };
    let link = Store::insert_link(&mut change.tx, &merchant_id, &new).await?;
    let json = to_json(&LinkObject::new(link, &state.public_url))?;
    change.commit(&state, StatusCode::CREATED, json).await
}

/// List payment links, newest first.
#[utoipa::path(get, path = "/v1/payment_links", tag = "payment links",
    responses((status = 200, body = Vec<LinkObject>)), security(("bearer" = [])))]
pub async fn list_links(State(state): State<AppState>, key: ApiKey) -> Result<Json<Vec<LinkObject>>, ApiError> {
    let merchant_id = key.require(Scope::SessionsRead)?;
    let links = state.store.links_of(merchant_id).await?;
    Ok(Json(links.into_iter().map(|l| LinkObject::new(l, &state.public_url)).collect()))
}

/// Retrieve a payment link.
#[utoipa::path(get, path = "/v1/payment_links/{id}", tag = "payment links", params(("id" = String, Path)),
    responses((status = 200, body = LinkObject), (status = 404)), security(("bearer" = [])))]
pub async fn retrieve_link(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<LinkObject>, ApiError> {
    let merchant_id = key.require(Scope::SessionsRead)?;
    let link = state.store.link(merchant_id, &id).await?.ok_or_else(|| ApiError::not_found("payment link", &id))?;
    Ok(Json(LinkObject::new(link, &state.public_url)))
}

/// Change a link's title, or turn it on or off.
#[utoipa::path(post, path = "/v1/payment_links/{id}", tag = "payment links", request_body = UpdateLinkRequest,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = LinkObject), (status = 400), (status = 404)), security(("bearer" = [])))]
pub async fn update_link(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: ApiJson<UpdateLinkRequest>,
) -> Result<Response, ApiError> {
    let merchant_id = key.require(Scope::SessionsWrite)?.to_string();
    let request = body.value;
    crate::new_session::check_text("title", &request.title, 200)?;
    let route = format!("POST /v1/payment_links/{id}");
    let change = async {
        let link =
            state.store.update_link(&merchant_id, &id, request.title.as_deref().map(str::trim), request.active).await?;
        Ok((StatusCode::OK, to_json(&LinkObject::new(link, &state.public_url))?))
    };
    idempotency::run(&state, &merchant_id, &headers, &route, &body.raw, change).await
}
