//! Verifying a card without charging it (`amount: 0`, seed 002's
//! `payment_method_verified`): the token's card is kept on a customer, then
//! a SetupIntent confirms it for later use, with 3-D Secure when the bank
//! asks. The attempt's `provider_ref` is the SetupIntent's id (`seti_…`).

use super::api::{Failure, SetupIntent};
use super::{answer_of_failure, declined, saved, Stripe, CANCELED, NOT_CONFIRMED};
use crate::provider::{Answer, Authorization, Charge, ProviderError};
use crate::store::AttemptRecord;
use serde_json::json;

/// The SetupIntent an attempt verifies its card with, if it is one.
pub(super) fn intent_id(attempt: &AttemptRecord) -> Option<&str> {
    attempt.provider_ref.as_deref().filter(|r| r.starts_with("seti_"))
}

/// What the SetupIntent as Stripe reports it means for the attempt.
pub(super) fn read(intent: &SetupIntent) -> Authorization {
    match intent.status.as_str() {
        "succeeded" => Authorization::Succeeded,
        "requires_action" => Authorization::RequiresAction { data: json!({"setup_intent": intent.id}) },
        "processing" => Authorization::Processing { after_ms: 60_000, data: json!({"setup_intent": intent.id}) },
        _ => match &intent.last_setup_error {
            Some(error) => declined(error),
            None if intent.status == "canceled" => CANCELED,
            None => NOT_CONFIRMED,
        },
    }
}

impl Stripe {
    pub(super) async fn setup_intent(&self, id: &str) -> Result<SetupIntent, ProviderError> {
        Ok(self.api.get(&format!("/v1/setup_intents/{id}")).await?)
    }

    pub(super) async fn cancel_setup(&self, attempt: &AttemptRecord, id: &str) -> Result<(), ProviderError> {
        let path = format!("/v1/setup_intents/{id}/cancel");
        let _: SetupIntent = self.api.post(&path, &[], &format!("{}-setup-cancel", attempt.id)).await?;
        Ok(())
    }

    /// Verifies the token's card: the customer's card, then a SetupIntent
    /// confirmed with it, each under a key derived from the attempt.
    pub(super) async fn verify(&self, charge: &Charge<'_>, token: &str) -> Answer {
        let card = match self.card_of(charge, token).await {
            Ok(card) => card,
            Err(failure) => return answer_of_failure(failure, None),
        };
        let form = [
            ("customer", card.0.clone()),
            ("usage", "off_session".to_string()),
            ("metadata[kassa_session]", charge.session.id.clone()),
            ("metadata[kassa_attempt]", charge.attempt_id.to_string()),
        ];
        let key = format!("{}-setup", charge.attempt_id);
        let intent: SetupIntent = match self.api.post("/v1/setup_intents", &form, &key).await {
            Ok(intent) => intent,
            Err(failure) => return answer_of_failure(failure, None),
        };
        let reference = Some(intent.id.clone());
        let path = format!("/v1/setup_intents/{}/confirm", intent.id);
        let confirmed: Result<SetupIntent, Failure> =
            self.api.post(&path, &[("payment_method", card.1.clone())], &format!("{key}-confirm")).await;
        let mut answer = match confirmed {
            Ok(confirmed) => Answer { authorization: read(&confirmed), reference, saved: None },
            Err(failure) => answer_of_failure(failure, reference),
        };
        answer.saved = charge.save.then(|| saved(&card));
        answer
    }
}
