//! Refunds: part, all, never more than was paid, even when refunds race.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn paid_session(app: &TestApp) -> String {
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&id, "4242424242424242").await;
    id
}

async fn refund(app: &TestApp, body: Value) -> reqwest::Response {
    app.post("/v1/refunds").json(&body).send().await.unwrap()
}

#[tokio::test]
async fn refund_part_then_the_rest() {
    let app = TestApp::spawn().await;
    let id = paid_session(&app).await;
    let half = refund(&app, json!({"session_id": id, "amount": 1250, "reason": "one item returned"})).await;
    assert_eq!(half.status(), StatusCode::CREATED);
    let half: Value = half.json().await.unwrap();
    assert!(half["id"].as_str().unwrap().starts_with("re_"));
    assert_eq!(half["amount"], 1250);
    let session = app.retrieve(&id).await;
    assert_eq!(
        (session["amount_refunded"].as_i64(), session["display_state"].as_str()),
        (Some(1250), Some("Partially refunded"))
    );
    assert_eq!(session["outcome"], "paid", "a refund does not change the outcome");
    let rest: Value = refund(&app, json!({"session_id": id})).await.json().await.unwrap();
    assert_eq!(rest["amount"], 1250);
    assert_eq!(app.retrieve(&id).await["display_state"], "Refunded");
    let more = refund(&app, json!({"session_id": id, "amount": 1})).await;
    assert_eq!(more.status(), StatusCode::CONFLICT);
    let listed: Value =
        app.get(&format!("/v1/checkout/sessions/{id}/refunds")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(app.status_api(&id).await["data"]["outcome"], "Succeeded");
}

#[tokio::test]
async fn refunds_refused_with_a_reason() {
    let app = TestApp::spawn().await;
    let id = paid_session(&app).await;
    let too_much = refund(&app, json!({"session_id": id, "amount": 2501})).await;
    assert_eq!(too_much.status(), StatusCode::CONFLICT);
    let error: Value = too_much.json().await.unwrap();
    assert_eq!(error["error"]["code"], "refund_amount_invalid");
    assert!(error["error"]["message"].as_str().unwrap().contains("2500"));
    let negative = refund(&app, json!({"session_id": id, "amount": -5})).await;
    assert_eq!(negative.status(), StatusCode::BAD_REQUEST);
    let open = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    assert_eq!(refund(&app, json!({"session_id": open})).await.status(), StatusCode::CONFLICT);
    assert_eq!(refund(&app, json!({"session_id": "cs_nope"})).await.status(), StatusCode::NOT_FOUND);
    let other = app.add_merchant("Other", &server::store::Scope::ALL).await;
    let foreign = app
        .client
        .post(format!("{}/v1/refunds", app.url))
        .bearer_auth(&other.key)
        .json(&json!({"session_id": id}))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.retrieve(&id).await["amount_refunded"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_refunds_never_refund_more_than_was_paid() {
    let app = TestApp::spawn().await;
    let id = paid_session(&app).await;
    let requests = (0..20).map(|_| refund(&app, json!({"session_id": id, "amount": 1000})));
    let statuses: Vec<StatusCode> = futures::future::join_all(requests).await.iter().map(|r| r.status()).collect();
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    assert_eq!(created, 2, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT));
    assert_eq!(app.retrieve(&id).await["amount_refunded"], 2000);
    assert_eq!(
        app.scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM refunds WHERE session_id = $1", &id).await,
        2000
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refund_retried_with_its_key_is_made_once() {
    let app = TestApp::spawn().await;
    let id = paid_session(&app).await;
    let send = || {
        app.post("/v1/refunds")
            .header("Idempotency-Key", "refund-1")
            .json(&json!({"session_id": id, "amount": 500}))
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(app.retrieve(&id).await["amount_refunded"], 500);
}
