//! `/v1/payment_links`: reusable URLs; every visit makes a fresh session.

use super::{
    extract::{ApiJson, ApiKey},
    idempotency::{self, Atomic, Claimed},
};
use crate::{
    domain_error::DomainError,
    error::ApiError,
    new_session::{check_text, currency_exponent, MAX_AMOUNT},
    store::{LinkRecord, NewLink, Scope, Store},
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
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLinkRequest {
    pub site_id: Option<String>,
    /// What the customer buys, shown on the page (1 to 200 characters).
    pub title: String,
    pub currency: String,
    /// A fixed amount; or leave it out and give `min_amount` and `max_amount`.
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub amount: Option<i64>,
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub min_amount: Option<i64>,
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub max_amount: Option<i64>,
    /// The customer may buy more than one (up to `max_quantity`, default 10).
    #[serde(default)]
    pub adjustable_quantity: bool,
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub max_quantity: Option<i64>,
    /// Copied onto every session the link makes.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    pub success_url: Option<String>,
}

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

pub(crate) fn check(request: &CreateLinkRequest) -> Result<(), DomainError> {
    check_text("title", &Some(request.title.clone()), 200)?;
    currency_exponent(&request.currency)?;
    let in_range = |a: i64| (1..=MAX_AMOUNT).contains(&a);
    match (request.amount, request.min_amount, request.max_amount) {
        (Some(a), None, None) if in_range(a) => {}
        (Some(_), None, None) => {
            return Err(DomainError::invalid("amount", "amount_invalid", format!("amount must be 1 to {MAX_AMOUNT}")))
        }
        (None, Some(min), Some(max)) if in_range(min) && in_range(max) && min <= max => {}
        (None, Some(_), Some(_)) => {
            return Err(DomainError::invalid(
                "min_amount",
                "amount_invalid",
                "min_amount and max_amount must be 1 or more, with min_amount at most max_amount",
            ))
        }
        _ => {
            return Err(DomainError::invalid(
                "amount",
                "parameter_missing",
                "give a fixed `amount`, or `min_amount` and `max_amount` for a customer-chosen amount",
            ))
        }
    }
    if request.max_quantity.is_some_and(|q| !(1..=1000).contains(&q)) {
        return Err(DomainError::invalid("max_quantity", "parameter_invalid", "max_quantity must be 1 to 1000"));
    }
    // The largest order the link can make must still be an amount Kassa takes.
    let top = request.amount.or(request.max_amount).unwrap_or(0);
    let most = if request.adjustable_quantity { request.max_quantity.unwrap_or(10) } else { 1 };
    if top.checked_mul(most).is_none_or(|total| total > MAX_AMOUNT) {
        return Err(DomainError::invalid(
            "max_quantity",
            "amount_invalid",
            format!("{most} × {top} is above the largest amount, {MAX_AMOUNT}: lower max_quantity or the amount"),
        ));
    }
    if let Some(url) = &request.success_url {
        let ok = url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            return Err(DomainError::invalid(
                "success_url",
                "url_invalid",
                "`success_url` must be an http or https URL",
            ));
        }
    }
    if request.metadata.len() > 50
        || request.metadata.iter().any(|(k, v)| k.is_empty() || k.chars().count() > 40 || v.chars().count() > 500)
    {
        return Err(DomainError::invalid(
            "metadata",
            "metadata_invalid",
            "at most 50 keys of 1 to 40 characters, values of at most 500",
        ));
    }
    Ok(())
}

/// A checked request as the store takes it.
pub async fn new_link(
    state: &crate::Services,
    merchant_id: &str,
    request: &CreateLinkRequest,
) -> Result<NewLink, DomainError> {
    check(request)?;
    Ok(NewLink {
        site_id: crate::new_session::site_for(state, merchant_id, request.site_id.as_deref()).await?,
        title: request.title.trim().to_string(),
        currency: request.currency.clone(),
        amount: request.amount,
        min_amount: request.min_amount,
        max_amount: request.max_amount,
        adjustable_quantity: request.adjustable_quantity,
        max_quantity: request.max_quantity.unwrap_or(10),
        metadata: serde_json::json!(request.metadata),
        success_url: request.success_url.clone(),
    })
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
    check_text("title", &request.title, 200)?;
    let route = format!("POST /v1/payment_links/{id}");
    let change = async {
        let link =
            state.store.update_link(&merchant_id, &id, request.title.as_deref().map(str::trim), request.active).await?;
        Ok((StatusCode::OK, to_json(&LinkObject::new(link, &state.public_url))?))
    };
    idempotency::run(&state, &merchant_id, &headers, &route, &body.raw, change).await
}
