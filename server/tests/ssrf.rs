//! Webhook targets a stranger could turn against Kassa's own network: every
//! special-purpose address is refused, an answer is read only as far as its
//! first 2 KB, and nothing is sent to an endpoint that was switched off.

mod common;

use axum::{body::Body, routing::post, Router};
use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::{time::now_ms, webhooks::deliver_due};
use std::time::{Duration, Instant};

/// A local service that answers a secret that never ends.
async fn endless_service() -> String {
    async fn answer() -> Body {
        let chunks = futures::stream::unfold(0u64, |n| async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Some((Ok::<_, std::io::Error>(format!("SECRET-{n:08}-").repeat(40)), n + 1))
        });
        Body::from_stream(chunks)
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/internal", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, Router::new().route("/internal", post(answer))).await });
    url
}

async fn create_endpoint(app: &TestApp, url: &str) -> reqwest::Response {
    app.post("/v1/webhook_endpoints").json(&json!({"url": url, "enabled_events": ["*"]})).send().await.unwrap()
}

#[tokio::test]
async fn every_special_purpose_address_is_refused_as_an_endpoint() {
    let app = TestApp::spawn_with(|c| c.webhooks_allow_private = false).await;
    for url in [
        "http://[::ffff:127.0.0.1]:9/",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::1]/",
        "http://100.64.0.1/",
        "http://198.18.0.1/",
        "http://192.0.0.8/",
        "http://2130706433/",
        "http://localhost:3000/",
    ] {
        let response = create_endpoint(&app, url).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{url}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["param"], "url", "{url}: {body}");
    }
    assert_eq!(create_endpoint(&app, "https://hooks.shop.example/kassa").await.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_is_read_only_to_its_first_2_kb() {
    // Loopback is allowed here so that the test can be the service.
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    let created: Value = create_endpoint(&app, &endless_service().await).await.json().await.unwrap();
    let endpoint = created["id"].as_str().unwrap();
    let started = Instant::now();
    let test = app.post(&format!("/v1/webhook_endpoints/{endpoint}/test")).send().await.unwrap();
    assert!(test.status().is_success(), "{}", test.status());
    deliver_due(&app.state, now_ms()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "not read to the end: {:?}", started.elapsed());
    let deliveries: Value =
        app.get(&format!("/v1/webhook_endpoints/{endpoint}/deliveries")).send().await.unwrap().json().await.unwrap();
    let responses: Vec<&str> = deliveries
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["attempts"].as_array().unwrap())
        .filter_map(|a| a["response"].as_str())
        .collect();
    assert!(!responses.is_empty(), "{deliveries}");
    for response in responses {
        assert!(response.len() <= 2048 && response.starts_with("SECRET-00000000-"), "{} bytes", response.len());
    }
}

#[tokio::test]
async fn nothing_is_sent_to_an_endpoint_switched_off_and_it_cannot_be_redelivered_to() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    let created: Value = create_endpoint(&app, "http://127.0.0.1:9/never").await.json().await.unwrap();
    let endpoint = created["id"].as_str().unwrap().to_string();
    app.session(json!({})).await;
    let off = app.post(&format!("/v1/webhook_endpoints/{endpoint}")).json(&json!({"disabled": true})).send().await;
    assert_eq!(off.unwrap().status(), StatusCode::OK);
    deliver_due(&app.state, now_ms()).await.unwrap();
    let deliveries: Value =
        app.get(&format!("/v1/webhook_endpoints/{endpoint}/deliveries")).send().await.unwrap().json().await.unwrap();
    let delivery = &deliveries.as_array().unwrap()[0];
    assert_eq!(delivery["status"], "cancelled", "queued before it was switched off: {delivery}");
    assert_eq!(delivery["attempts"].as_array().unwrap().len(), 0, "never sent");
    let id = delivery["id"].as_str().unwrap();
    let again = app.post(&format!("/v1/webhook_deliveries/{id}/redeliver")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "endpoint_not_enabled");
    let deleted = app.client.delete(format!("{}/v1/webhook_endpoints/{endpoint}", app.url)).bearer_auth(&app.key);
    assert!(deleted.send().await.unwrap().status().is_success());
    let again = app.post(&format!("/v1/webhook_deliveries/{id}/redeliver")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
}
