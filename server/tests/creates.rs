//! Creates written together (store/creates.rs): many at once each get their
//! own session, event and deliveries; one bad row does not sink the rest.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

#[tokio::test]
async fn concurrent_creates_each_get_their_session_event_and_deliveries() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    let hook = json!({"url": "http://127.0.0.1:9/hooks", "enabled_events": ["checkout.session.created"]});
    assert_eq!(app.post("/v1/webhook_endpoints").json(&hook).send().await.unwrap().status(), StatusCode::CREATED);
    let creates: Vec<_> = (0..200)
        .map(|i| {
            let request = app.post("/v1/checkout/sessions").json(&json!({"amount": 100 + i, "currency": "EUR"}));
            tokio::spawn(async move { request.send().await.unwrap() })
        })
        .collect();
    let mut ids = HashSet::new();
    let mut amounts = HashSet::new();
    for create in creates {
        let response = create.await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let session: Value = response.json().await.unwrap();
        ids.insert(session["id"].as_str().unwrap().to_string());
        amounts.insert(session["amount"].as_i64().unwrap());
    }
    assert_eq!((ids.len(), amounts.len()), (200, 200), "200 sessions, each with the amount it asked for");
    let reader = app.state.store.reader().clone();
    let count = |sql: &'static str| {
        let reader = reader.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&reader).await.unwrap() }
    };
    assert_eq!(count("SELECT COUNT(*) FROM checkout_sessions").await, 200);
    assert_eq!(count("SELECT COUNT(*) FROM events WHERE type = 'checkout.session.created'").await, 200);
    assert_eq!(count("SELECT COUNT(DISTINCT event_id) FROM webhook_deliveries WHERE status = 'pending'").await, 200);
    assert_eq!(count("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM session_counts").await, 200, "tab counts kept");
    for id in ids.iter().take(5) {
        assert_eq!(app.retrieve(id).await["status"], "open");
    }
}

#[tokio::test]
async fn one_bad_create_among_many_fails_alone() {
    let app = TestApp::spawn().await;
    let new = |site: &str, amount: i64| {
        let request = serde_json::from_value(json!({"amount": amount, "currency": "EUR"})).unwrap();
        server::new_session::validate(request, &app.merchant_id, server::new_session::Route::sandbox(site.to_string()))
            .unwrap()
    };
    // A site that does not exist breaks the foreign key of its row only.
    let mut batch: Vec<_> = (0..20).map(|i| new(&app.site_id, 100 + i)).collect();
    batch.insert(10, new("site_gone", 999));
    let store = app.state.store.clone();
    let results = futures::future::join_all(batch.into_iter().map(|n| store.create_session(n))).await;
    let failed: Vec<_> = results.iter().enumerate().filter(|(_, r)| r.is_err()).map(|(i, _)| i).collect();
    assert_eq!(failed, [10]);
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM checkout_sessions").fetch_one(app.state.store.reader()).await.unwrap();
    assert_eq!(stored, 20);
}

#[tokio::test]
async fn a_new_site_counts_for_the_next_create_at_once() {
    let app = TestApp::spawn().await;
    app.session(json!({})).await; // the merchant's one site, now kept for a few seconds
    let second = app.state.store.create_site(&app.merchant_id, "Second shop").await.unwrap();
    let response = app.create(json!({"amount": 100, "currency": "EUR"})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "two sites: which one?");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "parameter_missing");
    let created = app.create(json!({"amount": 100, "currency": "EUR", "site_id": second.id})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
}
