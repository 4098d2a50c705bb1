//! Kill -9 while pays are in flight and webhooks are being delivered: after
//! a restart every event still reaches the receiver (duplicates counted and
//! bounded), every answered pay is paid, and no payment is made twice.

mod common;

use common::process::{all_event_ids, count, free_port, get_json, receiver, start, Seen};
use serde_json::{json, Value};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, Mutex,
};
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
    }
    // Pays ten at a time in the background; the kill lands among them.
    let answered: Arc<Mutex<Vec<String>>> = Arc::default();
    let cut_off = Arc::new(AtomicUsize::new(0));
    let paying = tokio::spawn({
        let (client, base, sessions) = (client.clone(), base.clone(), sessions.clone());
        let (answered, cut_off) = (answered.clone(), cut_off.clone());
        async move {
            for batch in sessions.chunks(10) {
                let pays = batch.iter().map(|id| {
                    let pay = client.post(format!("{base}/fn/pay")).form(&[
                        ("session", id.as_str()),
                        ("email", "crash@example.com"),
                        ("card_number", "4242424242424242"),
                        ("card_expiry", "12/34"),
                        ("card_cvc", "123"),
                    ]);
                    async move { (id.clone(), pay.send().await) }
                });
                for (id, response) in futures::future::join_all(pays).await {
                    match response {
                        Ok(r) if r.status() == 303 => answered.lock().unwrap().push(id),
                        Ok(r) => panic!("{id}: {}", r.status()),
                        Err(_) => {
                            cut_off.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
                if cut_off.load(Ordering::SeqCst) > 0 {
                    return;
                }
            }
        }
    });
    while answered.lock().unwrap().len() < 80 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before_kill = seen.lock().unwrap().values().sum::<usize>();
    kassa.kill().expect("kill -9");
    kassa.wait().unwrap();
    paying.await.unwrap();
    let answered = answered.lock().unwrap().clone();
    let cut_off = cut_off.load(Ordering::SeqCst);
    assert!(cut_off > 0, "the kill landed while pays were in flight");
    assert!(before_kill < 400, "the kill came mid-delivery ({before_kill} delivered)");

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

    let mut paid = 0;
    for id in &sessions {
        let session = get_json(&client, &format!("{base}/v1/checkout/sessions/{id}"), &key).await;
        if session["outcome"] == "paid" {
            paid += 1;
        } else {
            assert!(!answered.contains(id), "{id}: its pay was answered before the kill, yet it is not paid");
        }
    }
    let payments = count(&env, "SELECT COUNT(*) FROM payments", "").await;
    println!(
        "crash test: {} sessions, {} pays answered before the kill and {cut_off} cut off by it; \
         {paid} sessions paid, {payments} payments; events {}, delivered {} (unique), {duplicates} delivered twice, \
         {before_kill} delivered before the kill",
        sessions.len(),
        answered.len(),
        expected.len(),
        counts.len()
    );
    assert!(paid >= answered.len(), "every answered pay is paid");
    assert_eq!(payments, paid as i64, "one payment per paid session, and none elsewhere");
    assert_eq!(expected.len(), sessions.len() + paid, "a created event per session, a completed one per paid");
    // Only sends in flight at the kill can arrive twice: at most the slots of one process.
    assert!(duplicates <= 16, "{duplicates} duplicates");
    kassa.kill().unwrap();
    kassa.wait().unwrap();
}
