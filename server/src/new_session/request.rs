//! The API's request to create a session, and the checks that turn it into
//! a [`NewSession`] or a refusal that names the field to fix.

use super::{currency_exponent, Route, MAX_AMOUNT};
use crate::{
    domain_error::DomainError,
    ids::new_id,
    store::{NewSession, WooOrder},
    time::now_ms,
};
use app::lifecycle::{Capture, Sequence, Source};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use time::{format_description::well_known::Rfc3339, OffsetDateTime};
use utoipa::ToSchema;

const MIN_EXPIRY_S: i64 = 30 * 60;
const MAX_EXPIRY_S: i64 = 24 * 60 * 60;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSessionRequest {
    /// Which of the merchant's sites; may be left out when there is only one.
    pub site_id: Option<String>,
    /// In the currency's minor unit. Required unless `line_items` are given.
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub amount: Option<i64>,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    #[serde(default)]
    pub line_items: Vec<LineItemInput>,
    pub customer_email: Option<String>,
    pub order_id: Option<String>,
    /// Where the customer goes after paying; `{CHECKOUT_SESSION_ID}` is replaced.
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// At most 50 keys of at most 40 characters, values of at most 500.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Seconds from now until the session expires: 1800 to 86400 (default).
    #[serde(default, deserialize_with = "crate::whole::option::deserialize")]
    pub expires_in: Option<i64>,
    /// Or the moment it expires (RFC 3339), 30 minutes to 24 hours from now.
    pub expires_at: Option<String>,
    #[schema(value_type = Option<String>)]
    pub capture: Option<Capture>,
    #[schema(value_type = Option<String>)]
    pub sequence: Option<Sequence>,
    /// The customer's language, e.g. `en` or `de-DE`.
    pub locale: Option<String>,
    /// The WooCommerce order this session pays for; makes the source `woocommerce`.
    pub woocommerce: Option<WooOrder>,
    /// The merchant's own name for the customer (1 to 200 characters):
    /// saved payment methods are kept and listed under it. Needed to save one.
    pub customer_id: Option<String>,
    /// Keep the customer's card for later `next_in_series` payments when
    /// this session succeeds (`first_in_series` always does).
    pub save_payment_method: Option<bool>,
    /// `next_in_series` only: the saved method (`pm_…`) charged at once,
    /// without the customer.
    pub payment_method: Option<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineItemInput {
    pub name: String,
    #[serde(deserialize_with = "crate::whole::deserialize")]
    pub quantity: i64,
    #[serde(deserialize_with = "crate::whole::deserialize")]
    pub unit_amount: i64,
}

fn check_url(param: &str, value: &Option<String>) -> Result<(), DomainError> {
    let Some(text) = value else { return Ok(()) };
    let bad = |why: &str| DomainError::invalid(param, "url_invalid", format!("`{param}` {why}"));
    if text.len() > 2048 {
        return Err(bad("must be at most 2048 characters"));
    }
    let url = url::Url::parse(text).map_err(|e| bad(&format!("is not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(bad("must be an http or https URL with a host"));
    }
    Ok(())
}

fn check_metadata(metadata: &BTreeMap<String, String>) -> Result<(), DomainError> {
    if metadata.len() > 50 {
        return Err(DomainError::invalid("metadata", "metadata_invalid", "metadata may have at most 50 keys"));
    }
    for (key, value) in metadata {
        let param = format!("metadata[{key}]");
        if key.is_empty() || key.chars().count() > 40 {
            return Err(DomainError::invalid(param, "metadata_invalid", "metadata keys must be 1 to 40 characters"));
        }
        if value.chars().count() > 500 {
            return Err(DomainError::invalid(
                param,
                "metadata_invalid",
                "metadata values must be at most 500 characters",
            ));
        }
    }
    Ok(())
}

fn check_amount(request: &CreateSessionRequest) -> Result<i64, DomainError> {
    let mut total: i64 = 0;
    for (i, item) in request.line_items.iter().enumerate() {
        let param = |field: &str| format!("line_items[{i}].{field}");
        if is_blank(&item.name) || item.name.chars().count() > 200 {
            return Err(DomainError::invalid(
                param("name"),
                "line_item_invalid",
                "a line item needs a name of 1 to 200 characters",
            ));
        }
        if !(1..=10_000).contains(&item.quantity) {
            return Err(DomainError::invalid(
                param("quantity"),
                "line_item_invalid",
                "quantity must be between 1 and 10000",
            ));
        }
        if !(0..=MAX_AMOUNT).contains(&item.unit_amount) {
            return Err(DomainError::invalid(
                param("unit_amount"),
                "amount_invalid",
                format!("unit_amount must be between 0 and {MAX_AMOUNT}"),
            ));
        }
        total = item
            .unit_amount
            .checked_mul(item.quantity)
            .and_then(|line| total.checked_add(line))
            .filter(|t| *t <= MAX_AMOUNT)
            .ok_or_else(|| {
                DomainError::invalid(
                    "line_items",
                    "amount_too_large",
                    format!("the line items add up to more than {MAX_AMOUNT}"),
                )
            })?;
    }
    match (request.amount, request.line_items.is_empty()) {
        (None, true) => Err(DomainError::invalid("amount", "parameter_missing", "give `amount` or `line_items`")),
        (Some(amount), _) if amount < 0 => {
            Err(DomainError::invalid("amount", "amount_invalid", "amount must not be negative"))
        }
        (Some(amount), _) if amount > MAX_AMOUNT => {
            Err(DomainError::invalid("amount", "amount_too_large", format!("amount must be at most {MAX_AMOUNT}")))
        }
        (Some(amount), false) if amount != total => Err(DomainError::invalid(
            "amount",
            "amount_mismatch",
            format!("amount {amount} does not match the line items, which add up to {total}"),
        )),
        (Some(amount), _) => Ok(amount),
        (None, false) => Ok(total),
    }
}

fn check_expiry(request: &CreateSessionRequest, now: i64) -> Result<i64, DomainError> {
    let range = "must be between 30 minutes and 24 hours from now";
    match (request.expires_in, &request.expires_at) {
        (Some(_), Some(_)) => {
            Err(DomainError::invalid("expires_at", "parameter_conflict", "give `expires_in` or `expires_at`, not both"))
        }
        (Some(seconds), None) if (MIN_EXPIRY_S..=MAX_EXPIRY_S).contains(&seconds) => Ok(now + seconds * 1000),
        (Some(_), None) => Err(DomainError::invalid(
            "expires_in",
            "expiry_invalid",
            format!("expires_in {range} (1800 to 86400 seconds)"),
        )),
        (None, Some(text)) => {
            let at = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
                DomainError::invalid(
                    "expires_at",
                    "expiry_invalid",
                    "expires_at must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z",
                )
            })?;
            let at = (at.unix_timestamp_nanos() / 1_000_000) as i64;
            let seconds = (at - now) / 1000;
            if (MIN_EXPIRY_S..=MAX_EXPIRY_S).contains(&seconds) {
                Ok(at)
            } else {
                Err(DomainError::invalid("expires_at", "expiry_invalid", format!("expires_at {range}")))
            }
        }
        (None, None) => Ok(now + MAX_EXPIRY_S * 1000),
    }
}

/// Text with nothing but spaces in it, by the same reading as the API
/// document's `\S` (Python's and Unicode's whitespace, which takes in the
/// four information separators, U+001C to U+001F, as well).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// 1 to `max` characters as sent, not blank.
pub fn check_text(param: &str, value: &Option<String>, max: usize) -> Result<(), DomainError> {
    match value {
        Some(v) if is_blank(v) || v.chars().count() > max => {
            Err(DomainError::invalid(param, "parameter_invalid", format!("`{param}` must be 1 to {max} characters")))
        }
        _ => Ok(()),
    }
}

fn check_locale(locale: &Option<String>) -> Result<(), DomainError> {
    let Some(tag) = locale.as_deref().map(str::trim) else { return Ok(()) };
    let mut parts = tag.split('-');
    let language_ok =
        parts.next().is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok = parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if tag == "auto" || (language_ok && rest_ok && tag.len() <= 35) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "locale",
            "locale_invalid",
            format!("`{tag}` is not a language tag such as `en` or `de-DE`"),
        ))
    }
}

/// What a session does with saved methods: save the customer's, or charge one.
fn check_series(request: &CreateSessionRequest, amount: i64) -> Result<(), DomainError> {
    check_text("customer_id", &request.customer_id, 200)?;
    let sequence = request.sequence.unwrap_or_default();
    let saves = request.save_payment_method == Some(true) || sequence == Sequence::FirstInSeries;
    if saves && request.customer_id.is_none() {
        return Err(DomainError::invalid(
            "customer_id",
            "customer_required",
            "saving the customer's payment method needs `customer_id`, your own id for the customer",
        ));
    }
    match (sequence, &request.payment_method) {
        (Sequence::NextInSeries, None) => Err(DomainError::invalid(
            "payment_method",
            "payment_method_required",
            "a next_in_series session charges a saved method: give its id as `payment_method` (pm_…)",
        )),
        (Sequence::NextInSeries, Some(_)) if request.save_payment_method == Some(true) => Err(DomainError::invalid(
            "save_payment_method",
            "parameter_invalid",
            "a next_in_series session pays with a method already saved",
        )),
        (Sequence::NextInSeries, Some(_)) if amount == 0 => Err(DomainError::invalid(
            "amount",
            "amount_invalid",
            "a next_in_series session charges money: the amount must be greater than zero",
        )),
        (Sequence::OneTime | Sequence::FirstInSeries, Some(_)) => Err(DomainError::invalid(
            "payment_method",
            "parameter_invalid",
            "`payment_method` is for next_in_series sessions, which charge a saved method",
        )),
        _ => Ok(()),
    }
}

/// Every check but the site, which needs the store.
pub fn validate(request: CreateSessionRequest, merchant_id: &str, route: Route) -> Result<NewSession, DomainError> {
    let now = now_ms();
    let currency = request.currency.clone();
    currency_exponent(&currency)?;
    let amount = check_amount(&request)?;
    if let Some(email) = &request.customer_email {
        app::checks::check_email(email)
            .map_err(|p| DomainError::invalid("customer_email", "email_invalid", p.message()))?;
    }
    check_text("order_id", &request.order_id, 200)?;
    check_url("success_url", &request.success_url)?;
    check_url("cancel_url", &request.cancel_url)?;
    check_metadata(&request.metadata)?;
    check_locale(&request.locale)?;
    check_series(&request, amount)?;
    let expires_at = check_expiry(&request, now)?;
    if let Some(woo) = &request.woocommerce {
        check_url("woocommerce.store_url", &Some(woo.store_url.clone()))?;
        check_text("woocommerce.order_id", &Some(woo.order_id.clone()), 64)?;
        check_text("woocommerce.order_key", &Some(woo.order_key.clone()), 64)?;
    }
    let line_items = if request.line_items.is_empty() {
        json!([])
    } else {
        serde_json::to_value(&request.line_items).unwrap_or_else(|_| json!([]))
    };
    Ok(NewSession {
        id: new_id("cs"),
        merchant_id: merchant_id.to_string(),
        site_id: route.site_id,
        livemode: route.livemode,
        provider: route.provider,
        source: if request.woocommerce.is_some() { Source::Woocommerce } else { Source::Api },
        sequence: request.sequence.unwrap_or_default(),
        capture: request.capture.unwrap_or_default(),
        amount,
        currency,
        line_items,
        customer_email: request.customer_email.map(|e| e.trim().to_string()),
        order_id: request.order_id,
        metadata: json!(request.metadata),
        success_url: request.success_url,
        cancel_url: request.cancel_url,
        locale: request.locale.map(|l| l.trim().to_string()),
        expires_at,
        woocommerce: request.woocommerce,
        payment_link_id: None,
        customer: request.customer_id,
        save_payment_method: request.save_payment_method == Some(true),
        payment_method_id: request.payment_method,
    })
}
