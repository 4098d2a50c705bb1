//! The session cache (SQLite): whatever happens to a session, the next read
//! shows it; and a second process cannot open the same database.

mod common;

use common::{location, TestApp};
use serde_json::json;

type Fresh = (String, String, i64, Option<String>, Option<i64>, Option<i64>);

/// The session's fields as the database holds them, read past the cache.
async fn fresh(app: &TestApp, id: &str) -> Fresh {
    sqlx::query_as(
        "SELECT s.status, s.outcome, s.updated_at,
            (SELECT a.status FROM payment_attempts a WHERE a.session_id = s.id
                ORDER BY a.created_at DESC, a.id DESC LIMIT 1),
            p.amount_captured, p.amount_refunded
         FROM checkout_sessions s LEFT JOIN payments p ON p.session_id = s.id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(app.state.store.reader())
    .await
    .unwrap()
}

/// Reads through the store (cached) twice and compares with the database.
async fn same(app: &TestApp, id: &str, step: &str) -> Fresh {
    for _ in 0..2 {
        let s = app.state.store.session(id).await.unwrap().unwrap();
        let cached = (
            s.status.to_string(),
            s.outcome.to_string(),
            s.updated_at,
            s.attempt_status,
            s.amount_captured,
            s.amount_refunded,
        );
        assert_eq!(cached, fresh(app, id).await, "{step}");
    }
    fresh(app, id).await
}

#[tokio::test]
async fn every_change_reaches_the_next_read() {
    let app = TestApp::spawn_with(|c| c.sandbox_async_ms = 300).await;
    let manual = app.session(json!({"capture": "manual"})).await["id"].as_str().unwrap().to_string();
    same(&app, &manual, "created").await;
    app.page(&format!("/pay/{manual}")).await;
    same(&app, &manual, "opened").await;
    app.pay(&manual, "4000000000000002").await;
    assert_eq!(same(&app, &manual, "declined").await.1, "unpaid");
    let challenge = location(&app.pay(&manual, "4000002760003184").await);
    assert_eq!(same(&app, &manual, "3-D Secure asked").await.3.as_deref(), Some("requires_action"));
    app.answer(&challenge, "approve").await;
    assert_eq!(same(&app, &manual, "reserved").await.1, "reserved");
    app.post(&format!("/v1/checkout/sessions/{manual}/capture")).send().await.unwrap();
    assert_eq!(same(&app, &manual, "captured").await.4, Some(2500));
    app.post("/v1/refunds").json(&json!({"session_id": manual, "amount": 700})).send().await.unwrap();
    assert_eq!(same(&app, &manual, "refunded in part").await.5, Some(700));

    // Resolved later by the background worker, not by a request.
    let later = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&later, "4000000000001034").await;
    assert_eq!(same(&app, &later, "processing").await.1, "pending");
    app.wait_for(&later, "complete", "paid").await;
    assert_eq!(same(&app, &later, "paid by the worker").await.1, "paid");

    for action in ["expire", "cancel"] {
        let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
        same(&app, &id, "open").await;
        app.post(&format!("/v1/checkout/sessions/{id}/{action}")).send().await.unwrap();
        assert_ne!(same(&app, &id, action).await.0, "open");
    }
}

#[tokio::test]
async fn readers_racing_a_payment_all_see_it_once_it_is_done() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let (store, id) = (app.state.store.clone(), id.clone());
            tokio::spawn(async move {
                for _ in 0..200 {
                    store.session(&id).await.unwrap();
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    app.pay(&id, "4242424242424242").await;
    for reader in readers {
        reader.await.unwrap();
    }
    assert_eq!(app.state.store.session(&id).await.unwrap().unwrap().outcome, app::lifecycle::Outcome::Paid);
    assert_eq!(app.status_api(&id).await["data"]["outcome"], "Succeeded");
}

#[tokio::test]
async fn a_second_process_cannot_serve_the_same_sqlite_database() {
    if std::env::var("KASSA_TEST_POSTGRES").is_ok() {
        eprintln!("skipped: on PostgreSQL several processes share the database");
        return;
    }
    let app = TestApp::spawn().await;
    let url = format!("sqlite://{}/kassa.db?mode=rwc", app.dir.path().display());
    let second = server::store::Store::connect(&url).await;
    let error = second.err().expect("refused while the first holds it").to_string();
    assert!(error.contains("another Kassa process is serving"), "{error}");
}
