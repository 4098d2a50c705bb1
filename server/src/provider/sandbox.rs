//! The built-in sandbox: test card numbers reach every path a real provider
//! can take, with no money moving.

use super::{Authorization, PaymentProvider};
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
pub const ASYNC_SUCCEEDS: &str = "4000000000001034";
pub const ASYNC_FAILS: &str = "4000000000001042";

const AUTHENTICATION_FAILED: Authorization = Authorization::Failed {
    code: "authentication_failed",
    message: "Your bank could not verify this payment. Try again or use another card.",
};
const ASYNC_DECLINED: Authorization = Authorization::Failed {
    code: "payment_failed",
    message: "Your bank did not approve the payment. Try again or use another card.",
};

#[async_trait::async_trait]
impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn authorize(&self, card: &CardDetails, _amount: i64, _currency: &str) -> Authorization {
        if let Some((_, code, message)) = DECLINES.iter().find(|(n, _, _)| *n == card.number) {
            return Authorization::Failed { code, message };
        }
        match card.number.as_str() {
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

    async fn complete_action(&self, _data: &Value, approved: bool) -> Authorization {
        if approved {
            Authorization::Succeeded
        } else {
            AUTHENTICATION_FAILED
        }
    }

    /// An attempt without an asynchronous answer is one whose process died
    /// before the sandbox bank answered: the sandbox says it never went through.
    async fn check(&self, data: &Value) -> Authorization {
        match data.get("resolves_to").and_then(Value::as_str) {
            Some("succeeded") => Authorization::Succeeded,
            _ => ASYNC_DECLINED,
        }
    }

    async fn capture(&self, _amount: i64, _currency: &str) -> Result<(), &'static str> {
        Ok(())
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

    #[tokio::test]
    async fn every_test_card_reaches_its_path() {
        let sandbox = Sandbox { async_after_ms: 10 };
        assert_eq!(sandbox.authorize(&card("4242424242424242"), 100, "EUR").await, Authorization::Succeeded);
        for (number, code, _) in DECLINES {
            match sandbox.authorize(&card(number), 100, "EUR").await {
                Authorization::Failed { code: got, .. } => assert_eq!(got, *code),
                other => panic!("{number}: {other:?}"),
            }
        }
        let challenge = sandbox.authorize(&card(THREE_D_SECURE), 100, "EUR").await;
        assert!(matches!(challenge, Authorization::RequiresAction { .. }));
        let Authorization::Processing { data, .. } = sandbox.authorize(&card(ASYNC_SUCCEEDS), 1, "EUR").await else {
            panic!("async card should process")
        };
        assert_eq!(sandbox.check(&data).await, Authorization::Succeeded);
        let Authorization::Processing { data, .. } = sandbox.authorize(&card(ASYNC_FAILS), 1, "EUR").await else {
            panic!("async card should process")
        };
        assert!(matches!(sandbox.check(&data).await, Authorization::Failed { code: "payment_failed", .. }));
        assert_eq!(sandbox.complete_action(&Value::Null, false).await, AUTHENTICATION_FAILED);
    }
}
