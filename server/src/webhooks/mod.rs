//! Sending webhooks by the Standard Webhooks specification: `webhook-id`
//! (the event id, the same on every retry), `webhook-timestamp` and
//! `webhook-signature` (`v1,<base64 HMAC-SHA256>`, one per live secret).

mod dispatch;
pub mod schedule;
mod target;

pub use dispatch::{deliver_due, run as dispatch};
pub use target::{check_url, PublicOnly};

use crate::{
    ids::new_id,
    store::{DeliveryRecord, EndpointRecord, EventRecord, StoreError, TryOutcome, WebhookAttemptRecord},
    time::rfc3339,
    Services,
};
use std::time::Instant;

/// The event types an endpoint can ask for (`*` for all).
pub const EVENT_TYPES: &[&str] = &[
    "checkout.session.created",
    "checkout.session.opened",
    "checkout.session.details_given",
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "checkout.session.cancelled",
    "checkout.session.blocked",
    "checkout.session.recovery_created",
    "payment_attempt.created",
    "payment_attempt.requires_action",
    "payment_attempt.processing",
    "payment_attempt.succeeded",
    "payment_attempt.failed",
    "payment_attempt.refunded",
    "payment_method.saved",
    "payment_method.detached",
    "payment.captured",
    "refund.created",
    "receipt.sent",
];

/// How long a delivery's answer may take.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
const EXCERPT: usize = 2048;

/// A new signing secret, shown to the merchant once it is made.
pub fn new_secret() -> String {
    use base64::{engine::general_purpose::STANDARD, Engine};
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// The bytes an endpoint receives for an event: the same on every try.
pub fn payload(event: &EventRecord) -> String {
    let data: serde_json::Value = serde_json::from_str(&event.data).unwrap_or_default();
    let livemode = event.livemode != 0;
    serde_json::json!({"id": event.id, "type": event.kind, "livemode": livemode, "timestamp": rfc3339(event.created_at),
        "data": data})
    .to_string()
}

/// `v1,<sig>` for each secret, space-separated, as the spec allows during a roll.
pub fn signature(secrets: &[String], event_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let signatures: Vec<String> = secrets
        .iter()
        .filter_map(|secret| {
            let webhook = standardwebhooks::Webhook::new(secret).ok()?;
            webhook.sign(event_id, timestamp, body.as_bytes()).ok()
        })
        .collect();
    (!signatures.is_empty()).then(|| signatures.join(" "))
}

fn secrets_of(state: &Services, endpoint: &EndpointRecord, now: i64) -> Vec<String> {
    let mut secrets: Vec<String> = state.sealer.open(&endpoint.secret_sealed).into_iter().collect();
    if endpoint.previous_secret_expires_at.is_some_and(|until| until > now) {
        secrets.extend(endpoint.previous_secret_sealed.as_deref().and_then(|s| state.sealer.open(s)));
    }
    secrets
}

/// One try: the answer's status, or why there was none.
async fn send(
    state: &Services,
    endpoint: &EndpointRecord,
    event: &EventRecord,
    now: i64,
) -> (Option<u16>, Result<String, String>) {
    let body = payload(event);
    let timestamp = now / 1000;
    let Some(signature) = signature(&secrets_of(state, endpoint, now), &event.id, timestamp, &body) else {
        return (None, Err("the endpoint's signing secret could not be read".into()));
    };
    // Names are checked by the client's resolver (`PublicOnly`), which it
    // connects with; an address written in the URL never reaches it.
    if let Err(refused) = check_url(&endpoint.url, state.webhooks_allow_private) {
        return (None, Err(format!("refused: {refused}")));
    }
    let response = state
        .http
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("user-agent", "Kassa-Webhooks/1")
        .header("webhook-id", &event.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match response {
        Ok(response) => {
            let status = response.status().as_u16();
            let excerpt = excerpt_of(response).await;
            if (200..300).contains(&status) {
                (Some(status), Ok(excerpt))
            } else {
                (Some(status), Err(excerpt))
            }
        }
        Err(e) => {
            (None, Err(if e.is_timeout() { "timed out after 10 s".into() } else { format!("could not connect: {e}") }))
        }
    }
}

/// The first [`EXCERPT`] bytes of an answer, read as they arrive: the rest
/// is never read (an endless or huge answer costs nothing).
async fn excerpt_of(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::with_capacity(EXCERPT);
    while bytes.len() < EXCERPT {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk[..chunk.len().min(EXCERPT - bytes.len())]),
            Ok(None) | Err(_) => break,
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

async fn deliver(state: &Services, delivery: &DeliveryRecord, now: i64) -> Result<(), StoreError> {
    let (Some(endpoint), Some(event)) =
        (state.store.endpoint_by_id(&delivery.endpoint_id).await?, state.store.event_by_id(&delivery.event_id).await?)
    else {
        return Ok(());
    };
    // Switched off (or deleted) after this was queued: not sent.
    if endpoint.status != "enabled" {
        return state.store.cancel_delivery(&delivery.id).await;
    }
    let started = Instant::now();
    let (http_status, result) = send(state, &endpoint, &event, now).await;
    let latency_ms = started.elapsed().as_millis() as i64;
    let outcome = match &result {
        Ok(_) => TryOutcome::Delivered,
        Err(_) => match schedule::next_try(delivery.created_at, now, delivery.attempts + 1, rand::random::<f64>()) {
            Some(at) => TryOutcome::RetryAt(at),
            None => TryOutcome::GaveUp,
        },
    };
    let (excerpt, error) = match result {
        Ok(text) => (Some(text), None),
        Err(text) if http_status.is_some() => (Some(text), None),
        Err(text) => (None, Some(text)),
    };
    let attempt = WebhookAttemptRecord {
        id: new_id("wa"),
        delivery_id: delivery.id.clone(),
        attempted_at: now,
        http_status: http_status.map(i64::from),
        latency_ms,
        response_excerpt: excerpt,
        error,
    };
    tracing::info!(delivery = %delivery.id, endpoint = %endpoint.id, status = ?http_status, ?outcome, "webhook try");
    state.store.record_try(delivery, &attempt, &outcome, schedule::GIVE_UP_AFTER_MS).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_with_the_standard_webhooks_library() {
        let secret = new_secret();
        let body = r#"{"id":"evt_1"}"#;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let signature = signature(&[secret.clone(), new_secret()], "evt_1", now, body).unwrap();
        assert_eq!(signature.matches("v1,").count(), 2);
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("webhook-id", "evt_1".parse().unwrap());
        headers.insert("webhook-timestamp", now.to_string().parse().unwrap());
        headers.insert("webhook-signature", signature.parse().unwrap());
        assert!(standardwebhooks::Webhook::new(&secret).unwrap().verify(body.as_bytes(), &headers).is_ok());
        assert!(standardwebhooks::Webhook::new(&new_secret()).unwrap().verify(body.as_bytes(), &headers).is_err());
    }
}
