//! The session object of the merchant API: every field of DESIGN.md §1.

use crate::{
    store::{SessionRecord, WooOrder},
    time::rfc3339,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionObject {
    pub id: String,
    /// Always `checkout.session`.
    pub object: &'static str,
    /// The hosted checkout page.
    pub url: String,
    pub site_id: String,
    pub livemode: bool,
    /// `open`, `complete`, `expired` or `cancelled`.
    pub status: String,
    /// `not_started`, `pending`, `paid`, `unpaid`, `reserved` or `payment_method_verified`.
    pub outcome: String,
    /// Deprecated: `paid`, `unpaid` or `pending`, derived from `outcome`.
    pub payment_status: &'static str,
    /// The dashboard's reading of the state, e.g. `Requires action`.
    pub display_state: &'static str,
    pub source: String,
    pub sequence: String,
    pub capture: String,
    pub amount: i64,
    pub currency: String,
    #[schema(value_type = Vec<Object>)]
    pub line_items: Value,
    pub customer_email: Option<String>,
    pub order_id: Option<String>,
    #[schema(value_type = Object)]
    pub metadata: Value,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub locale: Option<String>,
    pub provider: String,
    pub settlement_currency: String,
    pub last_failure: Option<Failure>,
    pub payment_id: Option<String>,
    /// The payment's own id at its processor (Stripe's PaymentIntent, `pi_…`).
    pub provider_payment_id: Option<String>,
    /// The processor's charge of the payment (`ch_…`), shortly after it succeeded.
    pub provider_charge_id: Option<String>,
    pub amount_refunded: i64,
    pub customer: CustomerObject,
    /// The merchant's own id for the customer: saved payment methods are theirs.
    pub customer_id: Option<String>,
    /// Whether a success keeps the customer's card for later payments.
    pub save_payment_method: bool,
    /// The saved method (`pm_…`) this session saved, or, `next_in_series`, charges.
    pub payment_method: Option<String>,
    /// The payment link that made this session, if any.
    pub payment_link_id: Option<String>,
    /// The WooCommerce order this session pays for, if any.
    pub woocommerce: Option<WooOrder>,
    pub launched_at: Option<String>,
    pub expires_at: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Failure {
    pub code: String,
    /// Safe to show the customer.
    pub message: String,
}

/// What the customer's browser told Kassa when they opened the page.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerObject {
    /// The email the customer typed at the checkout (the merchant's stays
    /// in `customer_email`); receipts go here.
    pub email: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub preferred_language: Option<String>,
    /// Where the customer opened the page from: an ISO 3166-1 alpha-2 code
    /// and the city where known (from the operator's GeoIP database or a
    /// trusted proxy's header); null when Kassa cannot tell.
    pub location: Option<LocationObject>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocationObject {
    pub country: String,
    pub city: Option<String>,
}

impl SessionObject {
    pub fn new(s: SessionRecord, public_url: &str) -> SessionObject {
        let snapshot = s.snapshot();
        let woocommerce = s.woocommerce();
        let save_payment_method = s.saves_method();
        let last_failure = match (s.failure_code, s.failure_message) {
            (Some(code), Some(message)) => Some(Failure { code, message }),
            _ => None,
        };
        SessionObject {
            url: format!("{public_url}/pay/{}", s.id),
            object: "checkout.session",
            payment_status: snapshot.state.payment_status(),
            display_state: app::views::dashboard_state(&snapshot).label(),
            id: s.id,
            site_id: s.site_id,
            livemode: s.livemode != 0,
            status: s.status.to_string(),
            outcome: s.outcome.to_string(),
            source: s.source.to_string(),
            sequence: s.sequence.to_string(),
            capture: s.capture.to_string(),
            amount: s.amount,
            currency: s.currency,
            line_items: serde_json::from_str(&s.line_items).unwrap_or(Value::Array(vec![])),
            customer_email: s.customer_email,
            order_id: s.order_id,
            metadata: serde_json::from_str(&s.metadata).unwrap_or(Value::Object(Default::default())),
            success_url: s.success_url,
            cancel_url: s.cancel_url,
            locale: s.locale,
            provider: s.provider,
            settlement_currency: s.settlement_currency,
            last_failure,
            payment_id: s.payment_id,
            provider_payment_id: s.payment_ref,
            provider_charge_id: s.payment_charge.filter(|c| !c.is_empty()),
            amount_refunded: s.amount_refunded.unwrap_or(0),
            customer: CustomerObject {
                email: s.payer_email,
                ip_address: s.customer_ip,
                user_agent: s.customer_user_agent,
                preferred_language: s.customer_language,
                location: s.customer_country.map(|country| LocationObject { country, city: s.customer_city }),
            },
            woocommerce,
            save_payment_method,
            customer_id: s.customer,
            payment_method: s.payment_method_id,
            payment_link_id: s.payment_link_id,
            launched_at: s.launched_at.map(rfc3339),
            expires_at: rfc3339(s.expires_at),
            created_at: rfc3339(s.created_at),
            updated_at: rfc3339(s.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    /// Always `list`.
    pub object: &'static str,
    pub data: Vec<SessionObject>,
    /// More sessions follow; ask again with `starting_after` set to the last id.
    pub has_more: bool,
}
