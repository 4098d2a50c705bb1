//! The API's budget per key: every answer says where the key stands, and
//! past the burst the answer is a 429 that says when to come back.

mod common;

use common::TestApp;
use reqwest::{Response, StatusCode};
use serde_json::Value;

fn number(response: &Response, name: &str) -> u64 {
    response.headers()[name].to_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_key_spends_its_own_budget_and_is_told_when_to_come_back() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_rate = 1;
        c.limits.api_burst = 5;
    })
    .await;
    let mut remaining = Vec::new();
    for _ in 0..5 {
        let answer = app.get("/v1/checkout/sessions").send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(number(&answer, "ratelimit-limit"), 5);
        remaining.push(number(&answer, "ratelimit-remaining"));
    }
    assert_eq!(remaining, [4, 3, 2, 1, 0]);

    let refused = app.get("/v1/checkout/sessions").send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = number(&refused, "retry-after");
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(number(&refused, "ratelimit-remaining"), 0);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["message"].as_str().unwrap().contains("Retry-After"));
    // A refused create changes nothing.
    let create = app.create(serde_json::json!({"amount": 100, "currency": "EUR"})).await;
    assert_eq!(create.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM checkout_sessions WHERE merchant_id = $1", &app.merchant_id).await, 0);

    // Another key has its own budget.
    let other = app.add_merchant("Other shop", &server::store::Scope::ALL).await;
    let answer =
        app.client.get(format!("{}/v1/checkout/sessions", app.url)).bearer_auth(&other.key).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(number(&answer, "ratelimit-remaining"), 4);

    // After the wait the key may go on.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    assert_eq!(app.get("/v1/checkout/sessions").send().await.unwrap().status(), StatusCode::OK);
}
