//! Expiry is absolute (DESIGN.md §5: never "a session paid after it
//! expired or was cancelled"): a 3-D Secure challenge still waiting for the
//! customer goes when the session's time is up or the merchant closes it,
//! and an answer given after that is refused with the expired page.

mod common;

use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A session waiting on its 3-D Secure challenge: its id and the challenge's path.
async fn challenged(app: &TestApp) -> (String, String) {
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let challenge = location(&app.pay(&id, "4000002760003184").await);
    assert!(challenge.contains("/challenge/pa_"), "{challenge}");
    (id, challenge)
}

/// Approves the challenge and follows the redirects as a browser would; the
/// page the customer ends on.
async fn approve(app: &TestApp, challenge: &str) -> String {
    let mut response = app.answer(challenge, "approve").await;
    for _ in 0..5 {
        if response.status() != StatusCode::SEE_OTHER {
            break;
        }
        response = app.client.get(format!("{}{}", app.url, location(&response))).send().await.unwrap();
    }
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

async fn attempt_failure(app: &TestApp, id: &str) -> (String, String) {
    sqlx::query_as("SELECT status, failure_code FROM payment_attempts WHERE session_id = $1")
        .bind(id)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap()
}

async fn payments(app: &TestApp, id: &str) -> i64 {
    app.scalar("SELECT COUNT(*) FROM payments WHERE session_id = $1", id).await
}

#[tokio::test]
async fn the_sweep_expires_a_session_whose_challenge_still_waits() {
    let app = TestApp::spawn().await;
    let (id, challenge) = challenged(&app).await;
    app.make_due(&id).await;
    app.wait_for(&id, "expired", "unpaid").await;
    assert_eq!(attempt_failure(&app, &id).await, ("failed".into(), "checkout_closed".into()));
    let page = approve(&app, &challenge).await;
    assert!(page.contains("This checkout has expired"), "{page}");
    assert_eq!(payments(&app, &id).await, 0);
    let events: Value = app.get("/v1/events?type=checkout.session.expired").send().await.unwrap().json().await.unwrap();
    let ours: Vec<&Value> =
        events["data"].as_array().unwrap().iter().filter(|e| e["session_id"] == id.as_str()).collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0]["data"]["closed_by"], "expiry");
}

#[tokio::test]
async fn a_challenge_answered_after_expiry_is_refused_even_before_the_sweep() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    let (id, challenge) = challenged(&app).await;
    app.make_due(&id).await;
    let page = approve(&app, &challenge).await;
    assert!(page.contains("This checkout has expired"), "{page}");
    let session = app.retrieve(&id).await;
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("expired"), Some("unpaid")));
    assert_eq!(payments(&app, &id).await, 0);
    let status = app.status_api(&id).await;
    assert_eq!(status["data"]["status"], "Expired");
}

#[tokio::test]
async fn the_merchant_can_expire_or_cancel_a_session_whose_challenge_waits() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    for (verb, status) in [("expire", "expired"), ("cancel", "cancelled")] {
        let (id, challenge) = challenged(&app).await;
        let response = app.post(&format!("/v1/checkout/sessions/{id}/{verb}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{verb}");
        let session: Value = response.json().await.unwrap();
        assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some(status), Some("unpaid")));
        assert_eq!(attempt_failure(&app, &id).await, ("failed".into(), "checkout_closed".into()));
        approve(&app, &challenge).await;
        assert_eq!(payments(&app, &id).await, 0, "{verb}: approving later charges nothing");
        assert_eq!(app.retrieve(&id).await["status"], status);
    }
}
