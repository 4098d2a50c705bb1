//! Saved payment methods: a customer's, listed; one, read or detached.
//! A key reaches its own mode's only.

use super::extract::ApiKey;
use crate::{
    error::ApiError,
    series,
    store::{PaymentMethodRecord, Scope},
    time::rfc3339,
    AppState,
};
use axum::{
    extract::{Path, State},
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A card a customer saved in a session, charged again by `next_in_series` sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentMethodObject {
    /// `pm_…`
    pub id: String,
    /// Always `payment_method`.
    pub object: &'static str,
    pub livemode: bool,
    /// The merchant's own id for the customer.
    pub customer_id: String,
    /// Who keeps the card: `sandbox` or `stripe`.
    pub provider: String,
    pub card: CardObject,
    /// The session that saved it.
    pub session_id: String,
    pub created_at: String,
    /// When it was detached; a detached method is never charged again.
    pub detached_at: Option<String>,
}

/// As much of the card as Kassa keeps: never its number.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardObject {
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

impl From<PaymentMethodRecord> for PaymentMethodObject {
    fn from(m: PaymentMethodRecord) -> Self {
        PaymentMethodObject {
            id: m.id,
            object: "payment_method",
            livemode: m.livemode != 0,
            customer_id: m.customer,
            provider: m.provider,
            card: CardObject { brand: m.brand, last4: m.last4, exp_month: m.exp_month, exp_year: m.exp_year },
            session_id: m.session_id,
            created_at: rfc3339(m.created_at),
            detached_at: m.detached_at.map(rfc3339),
        }
    }
}

async fn own_method(state: &AppState, key: &ApiKey, id: &str) -> Result<PaymentMethodRecord, ApiError> {
    let merchant_id = &key.0.merchant_id;
    let method = state.store.merchant_method(merchant_id, key.live(), id).await?;
    method.ok_or_else(|| ApiError::not_found("payment method", id))
}

/// List a customer's saved payment methods (detached ones are left out), oldest first.
#[utoipa::path(get, path = "/v1/customers/{customer_id}/payment_methods", tag = "payment methods",
    params(("customer_id" = String, Path, description = "Your own id for the customer")),
    responses((status = 200, body = Vec<PaymentMethodObject>)), security(("bearer" = [])))]
pub async fn list_methods(
    State(state): State<AppState>,
    key: ApiKey,
    Path(customer_id): Path<String>,
) -> Result<Json<Vec<PaymentMethodObject>>, ApiError> {
    let merchant_id = key.require(Scope::SessionsRead)?;
    let methods = state.store.methods_of(merchant_id, key.live(), &customer_id).await?;
    Ok(Json(methods.into_iter().map(PaymentMethodObject::from).collect()))
}

/// Retrieve a saved payment method.
#[utoipa::path(get, path = "/v1/payment_methods/{id}", tag = "payment methods", params(("id" = String, Path)),
    responses((status = 200, body = PaymentMethodObject), (status = 404)), security(("bearer" = [])))]
pub async fn retrieve_method(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<PaymentMethodObject>, ApiError> {
    key.require(Scope::SessionsRead)?;
    Ok(Json(own_method(&state, &key, &id).await?.into()))
}

/// Detach a saved payment method: its provider forgets the card, and no
/// `next_in_series` session can charge it. Detaching twice changes nothing.
#[utoipa::path(post, path = "/v1/payment_methods/{id}/detach", tag = "payment methods", params(("id" = String, Path)),
    responses((status = 200, body = PaymentMethodObject), (status = 404), (status = 502)), security(("bearer" = [])))]
pub async fn detach_method(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<PaymentMethodObject>, ApiError> {
    key.require(Scope::SessionsWrite)?;
    let method = own_method(&state, &key, &id).await?;
    series::detach(&state, &method, "merchant").await?;
    Ok(Json(own_method(&state, &key, &id).await?.into()))
}
