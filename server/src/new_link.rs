//! A new payment link, checked: the API and the dashboard make links from the
//! same request, through [`new_link`].

use crate::{
    domain_error::DomainError,
    new_session::{check_text, currency_exponent, site_for, MAX_AMOUNT},
    store::NewLink,
    Services,
};
use serde::Deserialize;
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

fn check(request: &CreateLinkRequest) -> Result<(), DomainError> {
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
    state: &Services,
    merchant_id: &str,
    request: &CreateLinkRequest,
) -> Result<NewLink, DomainError> {
    check(request)?;
    Ok(NewLink {
        site_id: site_for(state, merchant_id, request.site_id.as_deref()).await?,
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
