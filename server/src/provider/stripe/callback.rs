//! Stripe's webhooks: the `Stripe-Signature` header checked (HMAC-SHA256 of
//! `{timestamp}.{body}` under the endpoint's signing secret, any of several
//! `v1` signatures, in constant time, within five minutes), then the event
//! read for what it says about a PaymentIntent.

use super::super::{Callback, CallbackError, News};
use super::{api::PaymentIntent, Stripe};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// How far a signature's timestamp may be from now: Stripe's own libraries' default.
pub const TOLERANCE_S: i64 = 300;

pub fn verify(secret: &str, header: Option<&str>, body: &[u8], now_s: i64) -> Result<(), CallbackError> {
    let header = header.ok_or(CallbackError::Signature("no Stripe-Signature header"))?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", hex)) => signatures.push(hex),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(CallbackError::Signature("no timestamp"))?;
    if signatures.is_empty() {
        return Err(CallbackError::Signature("no v1 signature"));
    }
    if (now_s - timestamp).abs() > TOLERANCE_S {
        return Err(CallbackError::Signature("the timestamp is too far from now"));
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| CallbackError::Signature("bad secret"))?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    let matches = |hex: &&str| {
        decode_hex(hex).is_some_and(|given| subtle::ConstantTimeEq::ct_eq(&given[..], &expected[..]).into())
    };
    if signatures.iter().any(matches) {
        Ok(())
    } else {
        Err(CallbackError::Signature("no signature matches"))
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: serde_json::Value,
}

/// What a verified event says: the PaymentIntent and SetupIntent events Kassa acts on.
pub fn read(body: &[u8]) -> Result<Callback, CallbackError> {
    let event: Event = serde_json::from_slice(body).map_err(|e| CallbackError::Unreadable(e.to_string()))?;
    let news = match event.kind.as_str() {
        "payment_intent.succeeded"
        | "payment_intent.amount_capturable_updated"
        | "payment_intent.payment_failed"
        | "payment_intent.canceled"
        | "payment_intent.processing" => {
            let intent: PaymentIntent = serde_json::from_value(event.data.object)
                .map_err(|e| CallbackError::Unreadable(format!("data.object: {e}")))?;
            let authorization = Stripe::read(&intent);
            let attempt = intent.metadata.get("kassa_attempt").cloned();
            Some(News { reference: intent.id, attempt, authorization })
        }
        "setup_intent.succeeded" | "setup_intent.setup_failed" | "setup_intent.canceled" => {
            let intent: super::api::SetupIntent = serde_json::from_value(event.data.object)
                .map_err(|e| CallbackError::Unreadable(format!("data.object: {e}")))?;
            let authorization = super::setup::read(&intent);
            let attempt = intent.metadata.get("kassa_attempt").cloned();
            Some(News { reference: intent.id, attempt, authorization })
        }
        _ => None,
    };
    Ok(Callback { id: event.id, news })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Authorization;

    const SECRET: &str = "whsec_test_secret";

    fn sign(secret: &str, t: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn a_signature_verifies_only_for_its_body_secret_and_time() {
        let body = br#"{"id":"evt_1"}"#;
        let good = sign(SECRET, 1_000, body);
        let ok = |h: &str, body: &[u8], now| verify(SECRET, Some(h), body, now);
        assert_eq!(ok(&format!("t=1000,v1={good}"), body, 1_000), Ok(()));
        // Several signatures (a secret being rolled): any one matching will do.
        let other = sign("whsec_old", 1_000, body);
        assert_eq!(ok(&format!("t=1000,v1={other},v1={good},v0=abc"), body, 1_100), Ok(()));
        // Within the tolerance either way, not beyond it.
        assert_eq!(ok(&format!("t=1000,v1={good}"), body, 1_000 + TOLERANCE_S), Ok(()));
        assert!(ok(&format!("t=1000,v1={good}"), body, 1_001 + TOLERANCE_S).is_err());
        assert!(ok(&format!("t=1000,v1={good}"), body, 999 - TOLERANCE_S).is_err());
        // Another body, another secret, another timestamp, a v0 only, nothing.
        assert!(ok(&format!("t=1000,v1={good}"), br#"{"id":"evt_2"}"#, 1_000).is_err());
        assert!(ok(&format!("t=1000,v1={other}"), body, 1_000).is_err());
        assert!(ok(&format!("t=1001,v1={good}"), body, 1_000).is_err());
        assert!(ok(&format!("t=1000,v0={good}"), body, 1_000).is_err());
        assert!(ok("t=1000", body, 1_000).is_err());
        assert!(ok(&format!("v1={good}"), body, 1_000).is_err());
        assert!(ok(&format!("t=1000,v1={}", &good[..62]), body, 1_000).is_err());
        assert!(ok(&format!("t=1000,v1={}é", &good[..62]), body, 1_000).is_err());
        assert!(verify(SECRET, None, body, 1_000).is_err());
    }

    #[test]
    fn payment_intent_events_say_what_became_of_the_payment() {
        let event = |kind: &str, intent: serde_json::Value| {
            serde_json::to_vec(&serde_json::json!({"id": "evt_9", "type": kind, "data": {"object": intent}})).unwrap()
        };
        let paid = read(&event("payment_intent.succeeded", serde_json::json!({"id": "pi_1", "status": "succeeded"})));
        assert_eq!(
            paid,
            Ok(Callback {
                id: "evt_9".into(),
                news: Some(News { reference: "pi_1".into(), attempt: None, authorization: Authorization::Succeeded })
            })
        );
        let failed = serde_json::json!({"id": "pi_2", "status": "requires_payment_method",
            "last_payment_error": {"code": "card_declined", "decline_code": "insufficient_funds", "message": "…"}});
        let news = read(&event("payment_intent.payment_failed", failed)).unwrap().news.unwrap();
        assert!(matches!(news.authorization, Authorization::Failed { code: "insufficient_funds", .. }));
        let other = read(&event("customer.created", serde_json::json!({"id": "cus_1"}))).unwrap();
        assert_eq!(other.news, None);
        assert!(read(b"not json").is_err());
        assert!(read(&event("payment_intent.succeeded", serde_json::json!({"no": "id"}))).is_err());
    }
}
