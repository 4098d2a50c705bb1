//! Kill -9 in the middle of webhook delivery: after a restart every event
//! still reaches the receiver, and no payment is lost or made twice.

mod common;

use axum::{extract::State, http::HeaderMap, routing::post, Router};
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

type Seen = Arc<Mutex<HashMap<String, usize>>>;

/// A slow receiver: it counts each event id it is sent.
async fn receive(State(seen): State<Seen>, headers: HeaderMap) -> &'static str {
    tokio::time::sleep(Duration::from_millis(200)).await;
    let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    *seen.lock().unwrap().entry(id).or_default() += 1;
    "ok"
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the real binary; returns it and its demo API key (on first start).
fn start(data: &std::path::Path, database: &Option<String>, port: u16) -> (Child, Option<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kassa"));
    if let Some(url) = database {
        command.env("DATABASE_URL", url);
    }
    let mut child = command
        .env("KASSA_ADDR", format!("127.0.0.1:{port}"))
        .env("KASSA_DATA_DIR", data)
        .env("KASSA_WEBHOOKS_ALLOW_PRIVATE", "true")
        .env("KASSA_SWEEP_MS", "100")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the kassa binary starts");
    let mut key = None;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(k) = line.split_whitespace().find(|w| w.starts_with("sk_test_")) {
            key.get_or_insert(k.to_string());
        }
        if line.contains("Kassa listening") {
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    (child, key)
}

/// The ids of every event of `kind` about one of `sessions`.
async fn all_event_ids(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    kind: &str,
    sessions: &[String],
) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after = String::new();
    loop {
        let url = format!("{base}/v1/events?type={kind}&limit=100{after}");
        let page: Value = client.get(url).bearer_auth(key).send().await.unwrap().json().await.unwrap();
        let events = page["data"].as_array().unwrap();
        let ours = events.iter().filter(|e| sessions.iter().any(|s| e["session_id"] == s.as_str()));
        ids.extend(ours.map(|e| e["id"].as_str().unwrap().to_string()));
        if page["has_more"] != true {
            return ids;
        }
        after = format!("&starting_after={}", events.last().unwrap()["id"].as_str().unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_arrives_after_a_kill_9_mid_delivery() {
    let seen: Seen = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let receiver = Router::new().route("/hooks", post(receive)).with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // The SQLite file in `data`, or a fresh database on the test PostgreSQL.
    let database = match std::env::var("KASSA_TEST_POSTGRES") {
        Ok(admin) => Some(common::fresh_postgres_database(&admin).await),
        Err(_) => None,
    };
    let (mut kassa, key) = start(data.path(), &database, port);
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
    let (mut kassa, _) = start(data.path(), &database, port);
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
