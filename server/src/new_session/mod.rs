//! Every new session is made here: from the merchant API's request
//! ([`validate`]), from a payment link ([`for_link`]) and as a recovery of
//! one that failed or was abandoned ([`recovering`]).

mod request;

pub use request::{check_text, is_blank, validate, CreateSessionRequest, LineItemInput};

use crate::{
    domain_error::DomainError,
    ids::new_id,
    store::{LinkRecord, NewSession, SessionRecord},
    time::now_ms,
};
use app::lifecycle::{Capture, Sequence, Source};
use serde_json::json;

/// The largest amount a session may ask for, in minor units.
pub const MAX_AMOUNT: i64 = 99_999_999_999;

/// How long a session made for a link or a recovery stays open.
const OPEN_FOR_MS: i64 = 24 * 60 * 60 * 1000;

/// The currency's minor-unit exponent, or a refusal for an unknown code.
pub fn currency_exponent(code: &str) -> Result<u8, DomainError> {
    let unknown = || {
        DomainError::invalid(
            "currency",
            "currency_invalid",
            format!("unknown currency `{code}`: use an ISO 4217 code such as EUR"),
        )
    };
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(unknown());
    }
    let currency = iso_currency::Currency::from_code(code).ok_or_else(unknown)?;
    let exponent = currency.exponent().ok_or_else(|| {
        DomainError::invalid(
            "currency",
            "currency_invalid",
            format!("`{code}` has no minor unit and cannot be charged"),
        )
    })?;
    Ok(exponent as u8)
}

/// The session a payment link makes for an order of `quantity` at `unit_amount`.
/// Payment links are test mode: the sandbox takes their payments.
pub fn for_link(link: &LinkRecord, unit_amount: i64, quantity: i64) -> NewSession {
    NewSession {
        id: new_id("cs"),
        merchant_id: link.merchant_id.clone(),
        site_id: link.site_id.clone(),
        livemode: false,
        provider: Route::SANDBOX.into(),
        source: Source::PaymentLink,
        sequence: Sequence::OneTime,
        capture: Capture::Automatic,
        amount: unit_amount * quantity,
        currency: link.currency.clone(),
        line_items: json!([{"name": link.title, "quantity": quantity, "unit_amount": unit_amount}]),
        customer_email: None,
        order_id: None,
        metadata: serde_json::from_str(&link.metadata).unwrap_or_else(|_| json!({})),
        success_url: link.success_url.clone(),
        cancel_url: None,
        locale: None,
        expires_at: now_ms() + OPEN_FOR_MS,
        woocommerce: None,
        payment_link_id: Some(link.id.clone()),
        customer: None,
        save_payment_method: false,
        payment_method_id: None,
    }
}

/// A new session with the same items and customer as `old`, which failed
/// or was abandoned.
pub fn recovering(old: &SessionRecord) -> NewSession {
    NewSession {
        id: new_id("cs"),
        merchant_id: old.merchant_id.clone(),
        site_id: old.site_id.clone(),
        livemode: old.livemode != 0,
        provider: old.provider.clone(),
        source: old.source,
        sequence: Sequence::OneTime,
        capture: old.capture,
        amount: old.amount,
        currency: old.currency.clone(),
        line_items: serde_json::from_str(&old.line_items).unwrap_or_default(),
        customer_email: old.customer_email.clone().or_else(|| old.payer_email.clone()),
        order_id: old.order_id.clone(),
        metadata: serde_json::from_str(&old.metadata).unwrap_or_default(),
        success_url: old.success_url.clone(),
        cancel_url: old.cancel_url.clone(),
        locale: old.locale.clone(),
        expires_at: now_ms() + OPEN_FOR_MS,
        woocommerce: old.woocommerce(),
        payment_link_id: None,
        // The customer pays this one themselves; a card they meant to save is saved by it.
        customer: old.customer.clone(),
        save_payment_method: old.save_payment_method != 0 || old.sequence == Sequence::FirstInSeries,
        payment_method_id: None,
    }
}

/// Where a new session's money goes: its site, its mode, and the provider
/// that takes its payments.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub site_id: String,
    pub livemode: bool,
    pub provider: String,
}

impl Route {
    pub const SANDBOX: &'static str = "sandbox";

    /// Test mode: the built-in sandbox, whatever the site's route.
    pub fn sandbox(site_id: String) -> Route {
        Route { site_id, livemode: false, provider: Self::SANDBOX.into() }
    }
}

/// The route of a new session made with a key of the given mode on site
/// `site_id` (or the merchant's only site): test mode always pays on the
/// sandbox, live mode through the site's provider route, which it needs.
pub async fn route_for(
    services: &crate::Services,
    merchant_id: &str,
    site_id: Option<&str>,
    livemode: bool,
) -> Result<Route, DomainError> {
    let site_id = site_for(services, merchant_id, site_id).await?;
    if !livemode {
        return Ok(Route::sandbox(site_id));
    }
    match services.store.provider_route(&site_id).await? {
        Some(route) => Ok(Route { site_id, livemode, provider: route.provider }),
        None => Err(DomainError::invalid(
            "site_id",
            "provider_route_missing",
            format!(
                "site {site_id} has no provider route for live payments: set one with \
                 PUT /v1/sites/{site_id}/provider_route, or use a test key (sk_test_…)"
            ),
        )),
    }
}

/// The merchant's site a new session or link belongs to: the one named, or
/// the merchant's only one.
pub async fn site_for(
    services: &crate::Services,
    merchant_id: &str,
    site_id: Option<&str>,
) -> Result<String, DomainError> {
    if let Some(id) = site_id {
        return match services.store.site(merchant_id, id).await? {
            Some(site) => Ok(site.id),
            None => Err(DomainError::no_such("site_id", "site", id)),
        };
    }
    match services.store.sites_of(merchant_id).await?.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => Err(DomainError::invalid("site_id", "site_missing", "create a site first")),
        _ => Err(DomainError::invalid(
            "site_id",
            "parameter_missing",
            "site_id is required: this merchant has several sites",
        )),
    }
}
