//! Background work is fair between merchants: an endpoint that takes 9.9 s
//! to answer, with 500 events queued for it, delays neither another
//! merchant's webhooks nor the expiry of its sessions.

mod common;

use axum::{body::Bytes, extract::State, routing::post, Router};
use common::TestApp;
use serde_json::{json, Value};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, Mutex,
};
use std::time::{Duration, Instant};

/// A receiver on loopback; `delay` before each answer.
#[derive(Clone)]
struct Receiver {
    delay: Duration,
    /// The data of each `checkout.session.created` event, as it arrives.
    arrived: Arc<Mutex<Vec<(String, Instant)>>>,
    now_in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
}

impl Receiver {
    fn new(delay: Duration) -> Receiver {
        Receiver {
            delay,
            arrived: Default::default(),
            now_in_flight: Default::default(),
            most_in_flight: Default::default(),
        }
    }

    async fn serve(&self) -> String {
        async fn receive(State(r): State<Receiver>, body: Bytes) -> &'static str {
            let now = r.now_in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            r.most_in_flight.fetch_max(now, Ordering::SeqCst);
            let event: Value = serde_json::from_slice(&body).unwrap_or_default();
            if event["type"] == "checkout.session.created" {
                r.arrived.lock().unwrap().push((event["data"].to_string(), Instant::now()));
            }
            tokio::time::sleep(r.delay).await;
            r.now_in_flight.fetch_sub(1, Ordering::SeqCst);
            "thanks"
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = Router::new().route("/hook", post(receive)).with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }
}

async fn endpoint(app: &TestApp, key: &str, url: &str) {
    let made = app
        .client
        .post(format!("{}/v1/webhook_endpoints", app.url))
        .bearer_auth(key)
        .json(&json!({"url": url, "enabled_events": ["*"]}))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "{}", made.text().await.unwrap());
}

async fn create(app: &TestApp, key: &str) -> String {
    let made = app
        .client
        .post(format!("{}/v1/checkout/sessions", app.url))
        .bearer_auth(key)
        .json(&json!({"amount": 1000, "currency": "EUR"}))
        .send()
        .await
        .unwrap();
    let session: Value = made.json().await.unwrap();
    session["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_endpoint_with_500_events_queued_delays_no_other_merchant() {
    let app = TestApp::spawn_with(|c| {
        c.sweep_ms = 100;
        c.limits.api_rate = 100_000;
        c.limits.api_burst = 100_000;
    })
    .await;
    let slow = Receiver::new(Duration::from_millis(9_900));
    endpoint(&app, &app.key, &slow.serve().await).await;
    let other = app.add_merchant("Other shop", &server::store::Scope::ALL).await;
    let fast = Receiver::new(Duration::ZERO);
    endpoint(&app, &other.key, &fast.serve().await).await;

    // 500 events queued for the slow endpoint (each create is one event).
    let creates: Vec<_> = (0..500).map(|_| create(&app, &app.key)).collect();
    futures::future::join_all(creates).await;
    let queued = app
        .scalar(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE merchant_id = $1 AND status = 'pending'",
            &app.merchant_id,
        )
        .await;
    assert!(queued >= 490, "{queued} deliveries waiting");

    // Meanwhile the other merchant's events, one every 200 ms.
    let mut made = Vec::new();
    for _ in 0..15 {
        made.push((create(&app, &other.key).await, Instant::now()));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // And one of its sessions falls due: it expires on time.
    let due = create(&app, &other.key).await;
    app.make_due(&due).await;
    let marked = Instant::now();
    let mut expired_after = None;
    while marked.elapsed() < Duration::from_secs(5) {
        let status: String = sqlx::query_scalar("SELECT status FROM checkout_sessions WHERE id = $1")
            .bind(&due)
            .fetch_one(app.state.store.reader())
            .await
            .unwrap();
        if status == "expired" {
            expired_after = Some(marked.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    let arrived = fast.arrived.lock().unwrap().clone();
    let mut latencies = Vec::new();
    for (session, sent) in &made {
        let (_, at) = arrived
            .iter()
            .find(|(data, _)| data.contains(session.as_str()))
            .unwrap_or_else(|| panic!("{session} never arrived"));
        latencies.push(at.duration_since(*sent));
    }
    latencies.sort();
    let (worst, median) = (*latencies.last().unwrap(), latencies[latencies.len() / 2]);
    println!(
        "fairness: {} of the other merchant's events, worst latency {} ms, median {} ms; expiry after {:?}; \
         slow endpoint held {} sends at most, {} answered",
        latencies.len(),
        worst.as_millis(),
        median.as_millis(),
        expired_after,
        slow.most_in_flight.load(Ordering::SeqCst),
        slow.arrived.lock().unwrap().len(),
    );
    assert!(worst < Duration::from_secs(2), "worst latency {worst:?}");
    assert!(expired_after.is_some_and(|after| after < Duration::from_secs(2)), "expired after {expired_after:?}");
    assert!(slow.most_in_flight.load(Ordering::SeqCst) <= 2, "one endpoint holds two sends at most");
}
