//! Kill -9 in the middle of webhook delivery: after a restart every event
//! still reaches the receiver, and no payment is lost or made twice.

mod common;

use common::process::{all_event_ids, free_port, receiver, start, Seen};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_arrives_after_a_kill_9_mid_delivery() {
    let seen: Seen = Seen::default();
    // A slow receiver, so that the kill comes mid-delivery.
    let hook_url = receiver(seen.clone(), 200).await;

    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // The SQLite file in `data`, or a fresh database on the test PostgreSQL.
    let mut env = vec![("KASSA_DATA_DIR", data.path().to_str().unwrap().to_string())];
    if let Ok(admin) = std::env::var("KASSA_TEST_POSTGRES") {
        env.push(("DATABASE_URL", common::fresh_postgres_database(&admin).await));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (mut kassa, key) = start(port, &env);
    let key = key.expect("the demo key is printed on first start");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let kinds = ["checkout.session.created", "checkout.session.completed"];
    let endpoint = client
        .post(format!("{base}/v1/webhook_endpoints"))
        .bearer_auth(&key)
        .json(&json!({"url": hook_url, "enabled_events": kinds}))
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint.status(), 201);

    let mut sessions = Vec::new();
    for chunk in 0..20 {
        let creates = (0..10).map(|i| {
            client
                .post(format!("{base}/v1/checkout/sessions"))
                .bearer_auth(&key)
                .json(&json!({"amount": 1000 + chunk * 10 + i, "currency": "EUR"}))
                .send()
        });
        for response in futures::future::join_all(creates).await {
            let session: Value = response.unwrap().json().await.unwrap();
            sessions.push(session["id"].as_str().unwrap().to_string());
        }
        let batch = &sessions[sessions.len() - 10..];
        let pays = batch.iter().map(|id| {
            client
                .post(format!("{base}/pay/{id}"))
                .form(&[
                    ("email", "crash@example.com"),
                    ("card_number", "4242424242424242"),
                    ("card_expiry", "12/34"),
                    ("card_cvc", "123"),
                ])
                .send()
        });
        for response in futures::future::join_all(pays).await {
            assert_eq!(response.unwrap().status(), 303);
        }
    }
    let before_kill = seen.lock().unwrap().values().sum::<usize>();
    kassa.kill().expect("kill -9");
    kassa.wait().unwrap();
    assert!(before_kill < 400, "the kill came mid-delivery ({before_kill} of 400 delivered)");

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let (mut kassa, _) = start(port, &env);
    let mut expected = Vec::new();
    for kind in kinds {
        expected.extend(all_event_ids(&client, &base, &key, kind, &sessions).await);
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let missing = expected.iter().filter(|id| !seen.lock().unwrap().contains_key(*id)).count();
        if missing == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{missing} events never arrived");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let counts = seen.lock().unwrap().clone();
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    println!(
        "crash test: events created {}, delivered {} (unique), duplicates seen by the receiver {duplicates}, delivered before the kill {before_kill}",
        expected.len(),
        counts.len()
    );
    assert_eq!(expected.len(), 400);

    let mut paid = 0;
    for id in &sessions {
        let session: Value = client
            .get(format!("{base}/v1/checkout/sessions/{id}"))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(session["outcome"], "paid", "{id}");
        paid += 1;
    }
    assert_eq!(paid, 200);
    kassa.kill().unwrap();
    kassa.wait().unwrap();
}
