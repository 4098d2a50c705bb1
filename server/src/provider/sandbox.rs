//! The built-in sandbox: test card numbers reach every path a real provider
//! can take, with no money moving.

use super::{data_of, Answer, Authorization, CardSummary, Charge, Method, PaymentProvider, ProviderError};
use crate::store::AttemptRecord;
use app::checks::CardDetails;
use serde_json::{json, Value};

pub struct Sandbox {
    /// How long the asynchronous test cards stay processing.
    pub async_after_ms: i64,
}

/// Number → what the sandbox bank answers. Any other valid number succeeds.
pub const DECLINES: &[(&str, &str, &str)] = &[
    ("4000000000000002", "card_declined", "Your card was declined. Try another card."),
    ("4000000000009995", "insufficient_funds", "Your card has insufficient funds. Try another card."),
    ("4000000000000069", "expired_card", "Your card has expired. Try another card."),
    ("4000000000000127", "incorrect_cvc", "Your card's security code is incorrect. Check it and try again."),
    ("4000000000000119", "processing_error", "An error occurred while processing your card. Try again in a moment."),
];
pub const THREE_D_SECURE: &str = "4000002760003184";
/// Verifies (amount 0) and saves, but every charge of it is declined.
pub const CHARGES_DECLINED: &str = "4000000000000341";
pub const ASYNC_SUCCEEDS: &str = "4000000000001034";
pub const ASYNC_FAILS: &str = "4000000000001042";

pub(crate) const AUTHENTICATION_FAILED: Authorization = Authorization::Failed {
    code: "authentication_failed",
    message: "Your bank could not verify this payment. Try again or use another card.",
};
const DECLINED: Authorization = Authorization::Failed { code: "card_declined", message: DECLINES[0].2 };
const ASYNC_DECLINED: Authorization = Authorization::Failed {
    code: "payment_failed",
    message: "Your bank did not approve the payment. Try again or use another card.",
};

impl Sandbox {
    /// The sandbox bank's answer to a card, charged `amount` (0: verified only).
    pub fn answer(&self, card: &CardDetails, amount: i64) -> Authorization {
        if let Some((_, code, message)) = DECLINES.iter().find(|(n, _, _)| *n == card.number) {
            return Authorization::Failed { code, message };
        }
        match card.number.as_str() {
            CHARGES_DECLINED if amount > 0 => DECLINED,
            THREE_D_SECURE => Authorization::RequiresAction { data: json!({"challenge": "three_d_secure"}) },
            ASYNC_SUCCEEDS => {
                Authorization::Processing { after_ms: self.async_after_ms, data: json!({"resolves_to": "succeeded"}) }
            }
            ASYNC_FAILS => {
                Authorization::Processing { after_ms: self.async_after_ms, data: json!({"resolves_to": "failed"}) }
            }
            _ => Authorization::Succeeded,
        }
    }

    /// What the sandbox bank will do when the saved card is charged
    /// without the customer: what Kassa keeps of it (never its number).
    fn saved(card: &CardDetails) -> Value {
        let charges = match card.number.as_str() {
            THREE_D_SECURE => "authentication_required",
            CHARGES_DECLINED => "card_declined",
            _ => "succeeds",
        };
        json!({"charges": charges})
    }

    /// A saved card charged without the customer.
    fn charge_saved(saved: &Value) -> Authorization {
        match saved.get("charges").and_then(Value::as_str) {
            Some("succeeds") => Authorization::Succeeded,
            // The bank wants the customer, who is not there: the caller fails it.
            Some("authentication_required") => {
                Authorization::RequiresAction { data: json!({"challenge": "three_d_secure"}) }
            }
            _ => DECLINED,
        }
    }

    /// An attempt without an asynchronous answer is one whose process died
    /// before the sandbox bank answered: the sandbox says it never went through.
    fn read_back(data: &Value) -> Authorization {
        match data.get("resolves_to").and_then(Value::as_str) {
            Some("succeeded") => Authorization::Succeeded,
            _ => ASYNC_DECLINED,
        }
    }
}

const NOT_A_CARD: &str = "the sandbox takes the card from Kassa's own form, not a token";

#[async_trait::async_trait]
impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn describe(&self, method: &Method) -> Result<CardSummary, ProviderError> {
        match method {
            Method::Card(card) => Ok(CardSummary {
                brand: card.brand.as_str().to_string(),
                last4: card.last4().to_string(),
                exp_month: i64::from(card.exp_month),
                exp_year: i64::from(card.exp_year),
            }),
            Method::Token(_) | Method::Saved(_) => Err(ProviderError::BadMethod(NOT_A_CARD.into())),
        }
    }

    async fn authorize(&self, charge: Charge<'_>) -> Answer {
        match charge.method {
            Method::Card(card) => Answer {
                authorization: self.answer(card, charge.session.amount),
                reference: None,
                saved: charge.save.then(|| Self::saved(card)),
            },
            Method::Saved(saved) => Self::charge_saved(saved).into(),
            Method::Token(_) => Authorization::Failed { code: "invalid_method", message: NOT_A_CARD }.into(),
        }
    }

    async fn complete_action(&self, _attempt: &AttemptRecord, approved: bool) -> Authorization {
        if approved {
            Authorization::Succeeded
        } else {
            AUTHENTICATION_FAILED
        }
    }

    async fn check(&self, attempt: &AttemptRecord) -> Authorization {
        Self::read_back(&data_of(attempt))
    }

    async fn capture(&self, _attempt: &AttemptRecord, _amount: i64) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn cancel(&self, _attempt: &AttemptRecord) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn refund(
        &self,
        _attempt: &AttemptRecord,
        _amount: i64,
        _key: &str,
    ) -> Result<Option<String>, ProviderError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::checks::{check_form, FormInput, YearMonth};

    fn card(number: &str) -> CardDetails {
        let input = FormInput { email: "a@b.co", number, expiry: "12/40", cvc: "123" };
        check_form(&input, YearMonth { year: 2026, month: 1 }).expect("test cards pass the form checks")
    }

    #[test]
    fn every_test_card_reaches_its_path() {
        let sandbox = Sandbox { async_after_ms: 10 };
        assert_eq!(sandbox.answer(&card("4242424242424242"), 100), Authorization::Succeeded);
        for (number, code, _) in DECLINES {
            match sandbox.answer(&card(number), 100) {
                Authorization::Failed { code: got, .. } => assert_eq!(got, *code),
                other => panic!("{number}: {other:?}"),
            }
        }
        let challenge = sandbox.answer(&card(THREE_D_SECURE), 100);
        assert!(matches!(challenge, Authorization::RequiresAction { .. }));
        let Authorization::Processing { data, .. } = sandbox.answer(&card(ASYNC_SUCCEEDS), 100) else {
            panic!("async card should process")
        };
        assert_eq!(Sandbox::read_back(&data), Authorization::Succeeded);
        let Authorization::Processing { data, .. } = sandbox.answer(&card(ASYNC_FAILS), 100) else {
            panic!("async card should process")
        };
        assert!(matches!(Sandbox::read_back(&data), Authorization::Failed { code: "payment_failed", .. }));
        assert!(matches!(Sandbox::read_back(&Value::Null), Authorization::Failed { code: "payment_failed", .. }));
        // …0341 verifies and saves, then every charge of it is declined.
        assert_eq!(sandbox.answer(&card(CHARGES_DECLINED), 0), Authorization::Succeeded);
        assert_eq!(sandbox.answer(&card(CHARGES_DECLINED), 100), DECLINED);
        assert_eq!(Sandbox::charge_saved(&Sandbox::saved(&card(CHARGES_DECLINED))), DECLINED);
        assert_eq!(Sandbox::charge_saved(&Sandbox::saved(&card("4242424242424242"))), Authorization::Succeeded);
        let challenged = Sandbox::charge_saved(&Sandbox::saved(&card(THREE_D_SECURE)));
        assert!(matches!(challenged, Authorization::RequiresAction { .. }));
    }
}
