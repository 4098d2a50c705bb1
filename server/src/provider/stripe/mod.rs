//! Stripe, through PaymentIntents. The card is typed into Stripe's own
//! element on the hosted page and sent from the browser straight to Stripe,
//! which hands the page a token; Kassa's server turns the token into a
//! customer's card, then prepares and confirms the PaymentIntent itself,
//! and decides every outcome from the PaymentIntent as Stripe reports it.
//! 3-D Secure runs in the browser through Stripe.js on the intent's client
//! secret; then the server reads the intent again.

mod api;
pub mod callback;
pub(super) mod setup;

use super::{Answer, Authorization, CallbackError, CardSummary, Charge, Method, PaymentProvider, ProviderError};
use crate::store::AttemptRecord;
use api::{Api, Customer, Failure, PaymentIntent, Refund, Token};
use app::lifecycle::Capture;
use serde_json::{json, Value};

pub use api::API_VERSION;

/// One site's Stripe account.
pub struct Stripe {
    api: Api,
    publishable_key: String,
    webhook_secret: String,
}

/// Where Kassa reaches Stripe: the API and Stripe.js (both configurable, for
/// the tests' stand-in).
#[derive(Clone, Debug)]
pub struct StripeUrls {
    pub api_base: String,
    pub js_url: String,
}

impl Stripe {
    pub fn new(http: reqwest::Client, api_base: &str, keys: StripeKeys) -> Stripe {
        let api = Api { http, base: api_base.trim_end_matches('/').to_string(), secret_key: keys.secret_key };
        Stripe { api, publishable_key: keys.publishable_key, webhook_secret: keys.webhook_secret }
    }

    /// The client secret of the attempt's PaymentIntent (or SetupIntent),
    /// which Stripe.js needs in the customer's browser for 3-D Secure.
    pub async fn client_secret(&self, attempt: &AttemptRecord) -> Result<String, ProviderError> {
        let secret = match setup::intent_id(attempt) {
            Some(id) => self.setup_intent(id).await?.client_secret,
            None => self.intent_of(attempt).await?.client_secret,
        };
        secret.ok_or_else(|| ProviderError::Unreachable("no client secret on the intent".into()))
    }

    async fn intent_of(&self, attempt: &AttemptRecord) -> Result<PaymentIntent, ProviderError> {
        let id =
            attempt.provider_ref.as_deref().ok_or_else(|| ProviderError::Refused("no PaymentIntent yet".into()))?;
        Ok(self.api.get(&format!("/v1/payment_intents/{id}")).await?)
    }

    /// A PaymentIntent's fields for the charge.
    fn intent_form(charge: &Charge<'_>) -> Vec<(&'static str, String)> {
        let session = charge.session;
        let capture = match session.capture {
            Capture::Manual => "manual",
            Capture::Automatic => "automatic",
        };
        vec![
            ("amount", session.amount.to_string()),
            ("currency", session.currency.to_lowercase()),
            ("capture_method", capture.into()),
            ("metadata[kassa_session]", session.id.clone()),
            ("metadata[kassa_attempt]", charge.attempt_id.to_string()),
        ]
    }

    async fn prepare(&self, charge: &Charge<'_>) -> Result<PaymentIntent, Failure> {
        let form = Self::intent_form(charge);
        self.api.post("/v1/payment_intents", &form, &format!("{}-intent", charge.attempt_id)).await
    }

    /// Charges a saved card without the customer: one PaymentIntent,
    /// confirmed off-session as it is made.
    async fn charge_saved(&self, charge: &Charge<'_>, saved: &Value) -> Answer {
        let (Some(customer), Some(card)) = (saved["customer"].as_str(), saved["payment_method"].as_str()) else {
            return answer_of_failure(Failure::Unreachable("a saved card without its Stripe ids".into()), None);
        };
        let mut form = Self::intent_form(charge);
        form.extend([
            ("customer", customer.to_string()),
            ("payment_method", card.to_string()),
            ("confirm", "true".into()),
            ("off_session", "true".into()),
        ]);
        match self
            .api
            .post::<PaymentIntent>("/v1/payment_intents", &form, &format!("{}-intent", charge.attempt_id))
            .await
        {
            Ok(intent) => Answer { authorization: Self::read(&intent), reference: Some(intent.id), saved: None },
            Err(failure @ Failure::Stripe(402, _)) => answer_of_failure(failure, None),
            // Refused as asked (the card is gone at Stripe, say): asking again changes nothing.
            Err(Failure::Stripe(status, error)) if status < 500 && status != 429 => {
                tracing::warn!(status, code = ?error.code, message = ?error.message, "Stripe refused a saved card's charge");
                UNUSABLE.into()
            }
            // No answer: the charge may have gone through. It is asked again
            // later under the same idempotency key, so Stripe answers what it
            // did rather than charging twice (`series::charge_again`).
            Err(_) => Authorization::Processing { after_ms: 30_000, data: json!({}) }.into(),
        }
    }

    /// The token's card, kept on a Stripe customer: PaymentIntents take a
    /// card that belongs to one.
    async fn card_of(&self, charge: &Charge<'_>, token: &str) -> Result<(String, String), Failure> {
        let form = [
            ("source", token.to_string()),
            ("email", charge.email.to_string()),
            ("metadata[kassa_session]", charge.session.id.clone()),
        ];
        let customer: Customer =
            self.api.post("/v1/customers", &form, &format!("{}-customer", charge.attempt_id)).await?;
        let card = customer.default_source.ok_or_else(|| Failure::Unreachable("the customer has no card".into()))?;
        Ok((customer.id, card))
    }

    async fn confirm(
        &self,
        charge: &Charge<'_>,
        intent: &str,
        (customer, card): &(String, String),
    ) -> Result<PaymentIntent, Failure> {
        let form = [("customer", customer.clone()), ("payment_method", card.clone())];
        let path = format!("/v1/payment_intents/{intent}");
        let _: PaymentIntent = self.api.post(&path, &form, &format!("{}-method", charge.attempt_id)).await?;
        self.api.post(&format!("{path}/confirm"), &[], &format!("{}-confirm", charge.attempt_id)).await
    }

    /// What the intent as Stripe reports it means for the attempt.
    fn read(intent: &PaymentIntent) -> Authorization {
        match intent.status.as_str() {
            "succeeded" | "requires_capture" => Authorization::Succeeded,
            "requires_action" => Authorization::RequiresAction { data: json!({"payment_intent": intent.id}) },
            "processing" => Authorization::Processing { after_ms: 60_000, data: json!({"payment_intent": intent.id}) },
            // Declined (or never confirmed, then abandoned): the customer may try again.
            _ => match &intent.last_payment_error {
                Some(error) => declined(error),
                None if intent.status == "canceled" => CANCELED,
                None => NOT_CONFIRMED,
            },
        }
    }
}

/// What Kassa keeps of a card saved at Stripe: the customer it belongs to
/// and the card's id there.
fn saved((customer, card): &(String, String)) -> Value {
    json!({"customer": customer, "payment_method": card})
}

/// The three things a site's Stripe route holds.
pub struct StripeKeys {
    pub secret_key: String,
    pub publishable_key: String,
    pub webhook_secret: String,
}

const CANCELED: Authorization = Authorization::Failed {
    code: "payment_canceled",
    message: "The payment was cancelled before it went through. Try again.",
};
const NOT_CONFIRMED: Authorization =
    Authorization::Failed { code: "payment_incomplete", message: "The payment did not go through. Try again." };
const UNUSABLE: Authorization = Authorization::Failed {
    code: "payment_method_unusable",
    message: "The saved card can no longer be charged. Ask the customer to pay on a checkout page.",
};
const UNREACHABLE: Authorization = Authorization::Failed {
    code: "processing_error",
    message: "An error occurred while processing your card. Try again in a moment.",
};

/// A decline, in the words the sandbox uses for the same reason.
fn declined(error: &api::StripeError) -> Authorization {
    let code = error.decline_code.as_deref().or(error.code.as_deref()).unwrap_or("card_declined");
    match code {
        "payment_intent_authentication_failure" | "setup_intent_authentication_failure" => {
            return super::sandbox::AUTHENTICATION_FAILED
        }
        // Off-session: the bank wants the customer, who is not there.
        "authentication_required" => return super::AUTHENTICATION_REQUIRED,
        _ => {}
    }
    match super::sandbox::DECLINES.iter().find(|(_, known, _)| *known == code) {
        Some((_, code, message)) => Authorization::Failed { code, message },
        None => Authorization::Failed { code: "card_declined", message: super::sandbox::DECLINES[0].2 },
    }
}

/// A call that failed: a decline names its intent, anything else is an
/// error on the way (the attempt is read back later).
fn answer_of_failure(failure: Failure, reference: Option<String>) -> Answer {
    match failure {
        Failure::Stripe(402, error) => {
            let reference = error.payment_intent.as_ref().map(|i| i.id.clone()).or(reference);
            Answer { authorization: declined(&error), reference, saved: None }
        }
        Failure::Stripe(status, error) => {
            tracing::warn!(status, code = ?error.code, message = ?error.message, "Stripe refused a payment call");
            after_no_answer(reference)
        }
        Failure::Unreachable(e) => {
            tracing::warn!(error = %e, "Stripe could not be reached");
            after_no_answer(reference)
        }
    }
}

/// No answer about a payment: once its intent exists it may yet go
/// through, so it is read back later rather than taken for a decline (a
/// retry could otherwise charge the customer twice).
fn after_no_answer(reference: Option<String>) -> Answer {
    let authorization = match &reference {
        Some(intent) => Authorization::Processing { after_ms: 30_000, data: json!({"payment_intent": intent}) },
        None => UNREACHABLE,
    };
    Answer { authorization, reference, saved: None }
}

#[async_trait::async_trait]
impl PaymentProvider for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    async fn describe(&self, method: &Method) -> Result<CardSummary, ProviderError> {
        let Method::Token(token) = method else {
            return Err(ProviderError::BadMethod("Stripe takes the card in its own element, never from Kassa".into()));
        };
        if !token.starts_with("tok_")
            || token.len() > 255
            || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(ProviderError::BadMethod("not a Stripe card token".into()));
        }
        let token: Token = self.api.get(&format!("/v1/tokens/{token}")).await.map_err(|failure| match failure {
            Failure::Stripe(404, _) => ProviderError::BadMethod("Stripe does not know this card token".into()),
            other => other.into(),
        })?;
        let card = token.card;
        Ok(CardSummary {
            brand: card.brand.to_lowercase(),
            last4: card.last4,
            exp_month: card.exp_month,
            exp_year: card.exp_year,
        })
    }

    async fn authorize(&self, charge: Charge<'_>) -> Answer {
        let token = match charge.method {
            Method::Token(token) => token,
            Method::Saved(saved) => return self.charge_saved(&charge, saved).await,
            Method::Card(_) => return answer_of_failure(Failure::Unreachable("not a token".into()), None),
        };
        if charge.session.amount == 0 {
            return self.verify(&charge, token).await;
        }
        let intent = match self.prepare(&charge).await {
            Ok(intent) => intent,
            Err(failure) => return answer_of_failure(failure, None),
        };
        let reference = Some(intent.id.clone());
        let card = match self.card_of(&charge, token).await {
            Ok(card) => card,
            Err(failure) => return answer_of_failure(failure, reference),
        };
        let mut answer = match self.confirm(&charge, &intent.id, &card).await {
            Ok(confirmed) => Answer { authorization: Self::read(&confirmed), reference, saved: None },
            Err(failure) => answer_of_failure(failure, reference),
        };
        answer.saved = charge.save.then(|| saved(&card));
        answer
    }

    async fn complete_action(&self, attempt: &AttemptRecord, _approved: bool) -> Authorization {
        self.check(attempt).await
    }

    async fn check(&self, attempt: &AttemptRecord) -> Authorization {
        if let Some(id) = setup::intent_id(attempt) {
            return match self.setup_intent(id).await {
                Ok(intent) => setup::read(&intent),
                Err(e) => {
                    tracing::warn!(attempt = %attempt.id, error = %e, "could not read a SetupIntent back");
                    Authorization::Processing { after_ms: 60_000, data: json!({}) }
                }
            };
        }
        match self.intent_of(attempt).await {
            Ok(intent) => Self::read(&intent),
            // Never made at Stripe (the process died first): nothing was charged.
            Err(ProviderError::Refused(_)) if attempt.provider_ref.is_none() => NOT_CONFIRMED,
            Err(e) => {
                tracing::warn!(attempt = %attempt.id, error = %e, "could not read a PaymentIntent back");
                Authorization::Processing { after_ms: 60_000, data: json!({}) }
            }
        }
    }

    async fn capture(&self, attempt: &AttemptRecord, amount: i64) -> Result<(), ProviderError> {
        let intent =
            attempt.provider_ref.as_deref().ok_or_else(|| ProviderError::Refused("no PaymentIntent".into()))?;
        let form = [("amount_to_capture", amount.to_string())];
        let path = format!("/v1/payment_intents/{intent}/capture");
        let _: PaymentIntent = self.api.post(&path, &form, &format!("{}-capture", attempt.id)).await?;
        Ok(())
    }

    async fn cancel(&self, attempt: &AttemptRecord) -> Result<(), ProviderError> {
        if let Some(id) = setup::intent_id(attempt) {
            return self.cancel_setup(attempt, id).await;
        }
        let intent =
            attempt.provider_ref.as_deref().ok_or_else(|| ProviderError::Refused("no PaymentIntent".into()))?;
        let path = format!("/v1/payment_intents/{intent}/cancel");
        let _: PaymentIntent = self.api.post(&path, &[], &format!("{}-cancel", attempt.id)).await?;
        Ok(())
    }

    async fn refund(&self, attempt: &AttemptRecord, amount: i64, key: &str) -> Result<Option<String>, ProviderError> {
        let intent =
            attempt.provider_ref.as_deref().ok_or_else(|| ProviderError::Refused("no PaymentIntent".into()))?;
        let form = [
            ("payment_intent", intent.to_string()),
            ("amount", amount.to_string()),
            ("metadata[kassa_refund]", key.to_string()),
        ];
        let refund: Refund = self.api.post("/v1/refunds", &form, key).await?;
        Ok(Some(refund.id))
    }

    async fn give_back(
        &self,
        attempt: &AttemptRecord,
        amount: i64,
        key: &str,
    ) -> Result<Option<String>, ProviderError> {
        if let Some(id) = setup::intent_id(attempt) {
            // A verification takes no money: only an unfinished one is let go.
            let intent = self.setup_intent(id).await?;
            if !matches!(intent.status.as_str(), "succeeded" | "canceled") {
                self.cancel_setup(attempt, id).await?;
            }
            return Ok(None);
        }
        let intent = self.intent_of(attempt).await?;
        match intent.status.as_str() {
            "succeeded" => self.refund(attempt, amount, key).await,
            "canceled" => Ok(None),
            // Authorised, or still waiting on the customer: nothing taken yet.
            _ => self.cancel(attempt).await.map(|()| None),
        }
    }

    async fn charge_of(&self, attempt: &AttemptRecord) -> Result<Option<String>, ProviderError> {
        Ok(self.intent_of(attempt).await?.charge_id())
    }

    async fn forget(&self, provider_data: &Value) -> Result<(), ProviderError> {
        let (Some(customer), Some(card)) =
            (provider_data["customer"].as_str(), provider_data["payment_method"].as_str())
        else {
            return Ok(());
        };
        match self.api.delete::<Value>(&format!("/v1/customers/{customer}/sources/{card}")).await {
            // Gone already at Stripe: forgotten all the same.
            Ok(_) | Err(Failure::Stripe(404, _)) => Ok(()),
            Err(failure) => Err(failure.into()),
        }
    }

    fn parse_callback(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now_s: i64,
    ) -> Result<super::Callback, CallbackError> {
        callback::verify(&self.webhook_secret, signature, body, now_s)?;
        callback::read(body)
    }

    fn browser_key(&self) -> Option<&str> {
        Some(&self.publishable_key)
    }
}

/// Stripe's answers as its API reference documents them, for what the
/// stand-in (localstripe) answers otherwise or not at all: an off-session
/// charge the bank wants authenticated (localstripe leaves it
/// `requires_action` instead), a decline with its own code, a PaymentIntent
/// whose `latest_charge` is an id, SetupIntent events.
#[cfg(test)]
mod fixtures {
    use super::*;
    use crate::provider::{Authorization, News};

    fn refusal(body: &str) -> Failure {
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        Failure::Stripe(402, serde_json::from_value(body["error"].clone()).unwrap())
    }

    fn news(body: &str) -> News {
        callback::read(body.as_bytes()).unwrap().news.unwrap()
    }

    #[test]
    fn an_off_session_charge_the_bank_wants_authenticated_fails_for_want_of_the_customer() {
        let answer =
            answer_of_failure(refusal(include_str!("fixtures/off_session_authentication_required.json")), None);
        assert_eq!(answer.reference.as_deref(), Some("pi_3Ofixture0authreq"), "read back and let go later");
        assert!(matches!(answer.authorization, Authorization::Failed { code: "authentication_required", .. }));
    }

    #[test]
    fn a_decline_keeps_stripes_reason_in_the_sandboxs_words() {
        let answer = answer_of_failure(refusal(include_str!("fixtures/card_declined_insufficient_funds.json")), None);
        assert_eq!(answer.reference.as_deref(), Some("pi_3Ofixture0nofunds"));
        assert!(matches!(answer.authorization, Authorization::Failed { code: "insufficient_funds", .. }));
    }

    #[test]
    fn events_of_real_stripe_are_read_whatever_fields_come_with_them() {
        let paid = news(include_str!("fixtures/payment_intent_succeeded_event.json"));
        assert_eq!((paid.reference.as_str(), paid.authorization), ("pi_3Ofixture0paid", Authorization::Succeeded));
        let verified = news(include_str!("fixtures/setup_intent_succeeded_event.json"));
        assert_eq!(
            (verified.reference.as_str(), verified.authorization),
            ("seti_1Ofixture0setup", Authorization::Succeeded)
        );
        let failed = news(include_str!("fixtures/setup_intent_setup_failed_event.json"));
        assert_eq!(failed.reference, "seti_1Ofixture0setupfail");
        assert!(matches!(failed.authorization, Authorization::Failed { code: "authentication_failed", .. }));
    }
}
