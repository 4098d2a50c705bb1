//! Webhooks to a real receiver on loopback: signed by the Standard Webhooks
//! spec, retried on a schedule read from an injected clock, logged, and
//! given up (and the endpoint disabled) after three days.

mod common;

use axum::{body::Bytes, extract::State, http::HeaderMap, routing::post, Router};
use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::{store::Scope, time::now_ms, webhooks::deliver_due};
use std::sync::{Arc, Mutex};

/// What the receiver saw of one request.
#[derive(Clone, Debug)]
struct Received {
    id: String,
    timestamp: i64,
    signature: String,
    body: String,
}

/// A receiver that answers 500 to its first `fail_first` requests.
#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<Received>>>,
    fail_first: usize,
    /// When set, only requests signed with this secret are accepted.
    verify_with: Option<String>,
}

async fn receive(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> (axum::http::StatusCode, String) {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let seen_before = {
        let mut seen = receiver.seen.lock().unwrap();
        seen.push(Received {
            id: text("webhook-id"),
            timestamp: text("webhook-timestamp").parse().unwrap_or(0),
            signature: text("webhook-signature"),
            body: String::from_utf8_lossy(&body).to_string(),
        });
        seen.len() - 1
    };
    if let Some(secret) = &receiver.verify_with {
        let verified = standardwebhooks::Webhook::new(secret).unwrap().verify(&body, &headers);
        if verified.is_err() {
            return (axum::http::StatusCode::BAD_REQUEST, "bad signature".into());
        }
    }
    if seen_before < receiver.fail_first {
        (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "try again later".into())
    } else {
        (axum::http::StatusCode::OK, "thanks".into())
    }
}

async fn start(receiver: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let app = Router::new().route("/hooks", post(receive)).with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// A Kassa whose background sweep stays out of the way: the test drives time.
async fn app() -> TestApp {
    TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await
}

async fn endpoint(app: &TestApp, url: &str, events: Value) -> Value {
    let response =
        app.post("/v1/webhook_endpoints").json(&json!({"url": url, "enabled_events": events})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn paid(app: &TestApp) -> String {
    let id = app.session(json!({"order_id": "W-1"})).await["id"].as_str().unwrap().to_string();
    app.pay(&id, "4242424242424242").await;
    id
}

#[tokio::test]
async fn a_failing_receiver_gets_the_event_on_the_scheduled_retry() {
    let app = app().await;
    let receiver = Receiver { fail_first: 2, ..Default::default() };
    let url = start(receiver.clone()).await;
    let created = endpoint(&app, &url, json!(["checkout.session.completed"])).await;
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let session = paid(&app).await;

    let t0 = now_ms();
    assert_eq!(deliver_due(&app.state, t0).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state, t0 + 4_000).await.unwrap(), 0, "not due before the first wait");
    assert_eq!(deliver_due(&app.state, t0 + 6_100).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state, t0 + 6_100 + 4 * 60_000).await.unwrap(), 0, "the second wait is longer");
    assert_eq!(deliver_due(&app.state, t0 + 6_100 + 6 * 60_000 + 1_000).await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state, t0 + 3_600_000).await.unwrap(), 0, "delivered: nothing left");

    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|r| r.id == seen[0].id && r.body == seen[0].body), "every try is the same message");
    let webhook = standardwebhooks::Webhook::new(&secret).unwrap();
    for r in &seen {
        assert_eq!(r.signature, webhook.sign(&r.id, r.timestamp, r.body.as_bytes()).unwrap());
    }
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", seen[0].id.parse().unwrap());
    headers.insert("webhook-timestamp", seen[0].timestamp.to_string().parse().unwrap());
    headers.insert("webhook-signature", seen[0].signature.parse().unwrap());
    webhook
        .verify(seen[0].body.as_bytes(), &headers)
        .expect("the first try verifies with the standardwebhooks library");
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["type"], "checkout.session.completed");
    assert_eq!(body["data"]["session"]["id"], session);
    assert_eq!(body["data"]["session"]["outcome"], "paid");
    assert_eq!(body["data"]["session"]["order_id"], "W-1");

    let deliveries: Value = app
        .get(&format!("/v1/webhook_endpoints/{}/deliveries", created["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tries = deliveries[0]["attempts"].as_array().unwrap();
    let statuses: Vec<i64> = tries.iter().map(|a| a["http_status"].as_i64().unwrap()).collect();
    assert_eq!(statuses, vec![500, 500, 200]);
    assert_eq!(tries[0]["response"], "try again later");
    assert_eq!(deliveries[0]["status"], "succeeded");
}

#[tokio::test]
async fn three_days_of_failures_give_up_and_disable_the_endpoint() {
    let app = app().await;
    let receiver = Receiver { fail_first: usize::MAX, ..Default::default() };
    let url = start(receiver.clone()).await;
    let created = endpoint(&app, &url, json!(["*"])).await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let t0 = now_ms();
    let mut now = t0;
    let mut tries = 0;
    loop {
        tries += deliver_due(&app.state, now).await.unwrap();
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE session_id = $1 AND status = 'pending'",
        )
        .bind(&id)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
        match next {
            Some(at) => now = at,
            None => break,
        }
    }
    assert!((8..=12).contains(&tries), "{tries} tries");
    assert!(now - t0 <= 3 * 86_400_000, "never past three days");
    assert_eq!(receiver.seen.lock().unwrap().len(), tries);
    let endpoint: Value = app
        .get(&format!("/v1/webhook_endpoints/{}", created["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(endpoint["status"], "disabled");
    assert_eq!(endpoint["disabled_reason"], "every delivery failed for 3 days");
    let status: String = sqlx::query_scalar("SELECT status FROM webhook_deliveries WHERE session_id = $1")
        .bind(&id)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    assert_eq!(status, "failed");
}

#[tokio::test]
async fn a_receiver_with_the_wrong_secret_rejects_and_a_rolled_secret_signs_twice() {
    let app = app().await;
    let wrong = Receiver { verify_with: Some(server::webhooks::new_secret()), ..Default::default() };
    let url = start(wrong.clone()).await;
    endpoint(&app, &url, json!(["*"])).await;
    app.session(json!({})).await;
    deliver_due(&app.state, now_ms()).await.unwrap();
    let status: Option<i64> = sqlx::query_scalar("SELECT http_status FROM webhook_attempts")
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    assert_eq!(status, Some(400), "rejected, and kept for a retry");

    let app = self::app().await;
    let created = endpoint(&app, &start(Receiver::default()).await, json!(["*"])).await;
    let old = created["secret"].as_str().unwrap().to_string();
    let rolled: Value = app
        .post(&format!("/v1/webhook_endpoints/{}/roll_secret", created["id"].as_str().unwrap()))
        .json(&json!({"expires_in": 3600}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new = rolled["secret"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    for secret in [old, new] {
        let receiver = Receiver { verify_with: Some(secret), ..Default::default() };
        let url = start(receiver.clone()).await;
        app.post(&format!("/v1/webhook_endpoints/{}", created["id"].as_str().unwrap()))
            .json(&json!({"url": url}))
            .send()
            .await
            .unwrap();
        app.session(json!({})).await;
        deliver_due(&app.state, now_ms()).await.unwrap();
        let seen = receiver.seen.lock().unwrap().clone();
        assert_eq!(seen.last().unwrap().signature.matches("v1,").count(), 2, "both secrets sign during the overlap");
        let statuses: Vec<Option<i64>> =
            sqlx::query_scalar("SELECT http_status FROM webhook_attempts ORDER BY attempted_at DESC, id LIMIT 1")
                .fetch_all(app.state.store.reader())
                .await
                .unwrap();
        assert_eq!(statuses, vec![Some(200)]);
    }
}

#[tokio::test]
async fn secrets_are_sealed_event_types_filter_and_deliveries_can_be_resent() {
    let app = app().await;
    let receiver = Receiver::default();
    let url = start(receiver.clone()).await;
    let request = || {
        app.post("/v1/webhook_endpoints")
            .header("Idempotency-Key", "ep-1")
            .json(&json!({"url": url, "enabled_events": ["refund.created"]}))
            .send()
    };
    let created: Value = request().await.unwrap().json().await.unwrap();
    let replayed: Value = request().await.unwrap().json().await.unwrap();
    assert_eq!(replayed, created, "a retried create answers the same, secret included");
    let secret = created["secret"].as_str().unwrap();
    let listed: Value = app.get("/v1/webhook_endpoints").send().await.unwrap().json().await.unwrap();
    assert!(listed[0].get("secret").is_none(), "shown once");
    let stored = app.everything_stored().await;
    assert!(stored.contains(created["id"].as_str().unwrap()), "the scan reads the database");
    assert!(!stored.contains(&secret[6..]), "the secret is not in the database in clear");

    let session = paid(&app).await;
    deliver_due(&app.state, now_ms()).await.unwrap();
    assert!(receiver.seen.lock().unwrap().is_empty(), "the endpoint asked only for refunds");
    app.post("/v1/refunds").json(&json!({"session_id": session, "amount": 100})).send().await.unwrap();
    deliver_due(&app.state, now_ms()).await.unwrap();
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].body.contains("\"type\":\"refund.created\""));

    let deliveries: Value = app
        .get(&format!("/v1/webhook_endpoints/{}/deliveries", created["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let delivery = deliveries[0]["id"].as_str().unwrap();
    let again: Value =
        app.post(&format!("/v1/webhook_deliveries/{delivery}/redeliver")).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["status"], "pending");
    deliver_due(&app.state, now_ms()).await.unwrap();
    assert_eq!(receiver.seen.lock().unwrap().len(), 2);
    assert_eq!(receiver.seen.lock().unwrap()[1].id, seen[0].id, "the same event id, for deduplication");

    let test: Value = app
        .post(&format!("/v1/webhook_endpoints/{}/test", created["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(test["status"], "pending");
    deliver_due(&app.state, now_ms()).await.unwrap();
    assert!(receiver.seen.lock().unwrap()[2].body.contains("webhook_endpoint.test"));
}

#[tokio::test]
async fn bad_endpoints_are_refused_and_private_targets_need_the_setting() {
    let strict = TestApp::spawn_with(|c| c.webhooks_allow_private = false).await;
    for (url, events) in [
        ("http://127.0.0.1:9/x", json!(["*"])),
        ("ftp://hooks.example/", json!(["*"])),
        ("https://hooks.example/", json!(["nope"])),
    ] {
        let response = strict
            .post("/v1/webhook_endpoints")
            .json(&json!({"url": url, "enabled_events": events}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{url}");
    }
    let ok =
        strict.post("/v1/webhook_endpoints").json(&json!({"url": "https://hooks.example/kassa"})).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn events_are_listed_retrieved_and_kept_to_their_merchant() {
    let app = app().await;
    let session = paid(&app).await;
    let list: Value = app.get("/v1/events?type=checkout.session.completed").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let event = &list["data"][0];
    assert_eq!(event["session_id"], session);
    let id = event["id"].as_str().unwrap();
    let one: Value = app.get(&format!("/v1/events/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(one["type"], "checkout.session.completed");
    let page: Value = app.get("/v1/events?limit=2").send().await.unwrap().json().await.unwrap();
    assert_eq!(page["has_more"], true);
    let last = page["data"][1]["id"].as_str().unwrap();
    let next: Value =
        app.get(&format!("/v1/events?limit=2&starting_after={last}")).send().await.unwrap().json().await.unwrap();
    assert_ne!(next["data"][0]["id"], page["data"][0]["id"]);
    let other = app.add_merchant("Other", &Scope::ALL).await;
    let foreign = app.client.get(format!("{}/v1/events/{id}", app.url)).bearer_auth(&other.key).send().await.unwrap();
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
}
