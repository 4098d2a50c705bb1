//! The few Stripe API calls Kassa makes, typed, over reqwest: form-encoded
//! requests with the secret key as a bearer token and an idempotency key on
//! every write, so a retried call never makes a second payment.

use super::super::ProviderError;
use serde::{de::DeserializeOwned, Deserialize};

/// Stripe's API as one site's route reaches it.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    /// `https://api.stripe.com`, or a stand-in's address.
    pub base: String,
    pub secret_key: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub status: String,
    pub client_secret: Option<String>,
    pub last_payment_error: Option<StripeError>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
    /// The charge's id, or the charge itself where it comes expanded.
    #[serde(default)]
    pub latest_charge: Option<serde_json::Value>,
}

impl PaymentIntent {
    /// The id of its latest charge, however it came.
    pub fn charge_id(&self) -> Option<String> {
        match self.latest_charge.as_ref()? {
            serde_json::Value::String(id) => Some(id.clone()),
            charge => charge.get("id")?.as_str().map(str::to_string),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct StripeError {
    pub code: Option<String>,
    pub decline_code: Option<String>,
    pub message: Option<String>,
    /// The PaymentIntent a refused confirmation was about.
    pub payment_intent: Option<Box<PaymentIntent>>,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: StripeError,
}

#[derive(Debug, Deserialize)]
pub struct Token {
    pub card: TokenCard,
}

#[derive(Debug, Deserialize)]
pub struct TokenCard {
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

#[derive(Debug, Deserialize)]
pub struct Customer {
    pub id: String,
    pub default_source: Option<String>,
}

/// A SetupIntent: a card verified (and kept) without a charge.
#[derive(Clone, Debug, Deserialize)]
pub struct SetupIntent {
    pub id: String,
    pub status: String,
    pub client_secret: Option<String>,
    pub last_setup_error: Option<StripeError>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct Refund {
    pub id: String,
}

/// A call Stripe refused: its error (a decline is one) or no answer at all.
pub enum Failure {
    Stripe(u16, StripeError),
    Unreachable(String),
}

impl From<Failure> for ProviderError {
    fn from(failure: Failure) -> ProviderError {
        match failure {
            Failure::Stripe(_, e) => {
                ProviderError::Refused(e.message.unwrap_or_else(|| "Stripe refused the request".into()))
            }
            Failure::Unreachable(e) => ProviderError::Unreachable(e),
        }
    }
}

impl Api {
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        self.send(self.http.get(format!("{}{path}", self.base))).await
    }

    /// DELETEs (detaching a saved card; deleting twice is harmless).
    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        self.send(self.http.delete(format!("{}{path}", self.base))).await
    }

    /// POSTs `form`; `idempotency` names the write, so Stripe answers a
    /// repeat with the first answer instead of doing it twice.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, String)],
        idempotency: &str,
    ) -> Result<T, Failure> {
        let body = serde_urlencoded::to_string(form).map_err(|e| Failure::Unreachable(e.to_string()))?;
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Idempotency-Key", idempotency)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    async fn send<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, Failure> {
        let answer = request
            .bearer_auth(&self.secret_key)
            .header("Stripe-Version", API_VERSION)
            .send()
            .await
            .map_err(|e| Failure::Unreachable(without_url(e)))?;
        let status = answer.status();
        let bytes = answer.bytes().await.map_err(|e| Failure::Unreachable(without_url(e)))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| Failure::Unreachable(format!("unreadable answer: {e}")));
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(Failure::Stripe(status.as_u16(), body.error)),
            Err(_) => Err(Failure::Unreachable(format!("HTTP {status}"))),
        }
    }
}

/// The Stripe API version Kassa's calls are written against.
pub const API_VERSION: &str = "2024-06-20";

/// reqwest's error without the URL (which names the payment).
fn without_url(e: reqwest::Error) -> String {
    e.without_url().to_string()
}
