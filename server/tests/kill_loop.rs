//! Twenty `kill -9`s of the real binary under load. A client creates 100
//! sessions, each under its own Idempotency-Key and retried through the
//! kills until answered, pays each one it is answered, and a receiver takes
//! the webhooks. Afterwards: one session per key, the answered id is that
//! session, no session paid twice, and every event delivered.

mod common;

use common::process::{all_event_ids, count, free_port, list_all, receiver, start, Seen};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const ORDERS: usize = 100;
const KILLS: usize = 20;

/// One pass of the client against `base` until it stops answering: creates
/// what is not answered yet (its key, retried) and pays what is answered.
async fn load(client: &reqwest::Client, base: &str, key: &str, answered: &mut HashMap<usize, String>) {
    for order in 0..ORDERS {
        if answered.contains_key(&order) {
            continue;
        }
        let created = client
            .post(format!("{base}/v1/checkout/sessions"))
            .bearer_auth(key)
            .header("Idempotency-Key", format!("order-{order}"))
            .json(&json!({"amount": 1000 + order, "currency": "EUR", "order_id": format!("order-{order}")}))
            .send()
            .await;
        let Ok(created) = created else { return };
        if created.status() != 201 {
            // A key whose first request is still in progress (the kill cut it) answers 409 for a while.
            assert_eq!(created.status(), 409, "{}", created.text().await.unwrap_or_default());
            continue;
        }
        let Ok(session) = created.json::<Value>().await else { return };
        let id = session["id"].as_str().unwrap().to_string();
        answered.insert(order, id.clone());
        let form = [
            ("session", id.as_str()),
            ("email", "kill@example.com"),
            ("card_number", "4242424242424242"),
            ("card_expiry", "12/34"),
            ("card_cvc", "123"),
        ];
        if client.post(format!("{base}/fn/pay")).form(&form).send().await.is_err() {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_kills_under_load_lose_and_double_nothing() {
    let seen: Seen = Seen::default();
    let hook_url = receiver(seen.clone(), 50).await;
    let data = tempfile::tempdir().unwrap();
    let mut env = vec![("KASSA_DATA_DIR", data.path().to_str().unwrap().to_string())];
    if let Ok(admin) = std::env::var("KASSA_TEST_POSTGRES") {
        env.push(("DATABASE_URL", common::fresh_postgres_database(&admin).await));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let (mut kassa, key) = start(port, &env);
    let key = key.expect("the demo key is printed on first start");
    let kinds = ["checkout.session.created", "checkout.session.completed"];
    let endpoint = client
        .post(format!("{base}/v1/webhook_endpoints"))
        .bearer_auth(&key)
        .json(&json!({"url": hook_url, "enabled_events": kinds}))
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint.status(), 201);

    let mut answered = HashMap::new();
    for cycle in 0..KILLS {
        // The kill lands 150 to 700 ms into the cycle, wherever the client is.
        let after = Duration::from_millis(150 + (cycle as u64 * 97) % 550);
        let _ = tokio::time::timeout(after, load(&client, &base, &key, &mut answered)).await;
        kassa.kill().expect("kill -9");
        kassa.wait().unwrap();
        kassa = start(port, &env).0;
    }
    // The last process finishes the work.
    let deadline = Instant::now() + Duration::from_secs(120);
    while answered.len() < ORDERS {
        assert!(Instant::now() < deadline, "{} orders never answered", ORDERS - answered.len());
        load(&client, &base, &key, &mut answered).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let sessions: Vec<String> = (0..ORDERS).map(|o| answered[&o].clone()).collect();
    let mut per_order: HashMap<String, Vec<String>> = HashMap::new();
    for s in list_all(&client, &base, &key, "/v1/checkout/sessions?").await {
        if let Some(order) = s["order_id"].as_str().filter(|o| o.starts_with("order-")) {
            per_order.entry(order.to_string()).or_default().push(s["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(per_order.len(), ORDERS);
    for order in 0..ORDERS {
        let made = &per_order[&format!("order-{order}")];
        assert_eq!(made, &vec![answered[&order].clone()], "order-{order}: one session, the one answered");
    }

    let mut paid = 0;
    for id in &sessions {
        let payments = count(&env, "SELECT COUNT(*) FROM payments WHERE session_id = $1", id).await;
        assert!(payments <= 1, "{id} paid {payments} times");
        paid += payments;
    }
    let mut expected = Vec::new();
    for kind in kinds {
        expected.extend(all_event_ids(&client, &base, &key, kind, &sessions).await);
    }
    loop {
        let missing = expected.iter().filter(|id| !seen.lock().unwrap().contains_key(*id)).count();
        if missing == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{missing} events never delivered");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let duplicates: usize = seen.lock().unwrap().values().map(|n| n - 1).sum();
    println!(
        "kill loop: {KILLS} kills; {ORDERS} orders, one session each; {paid} paid once, none twice; \
         {} events, all delivered ({duplicates} delivered twice)",
        expected.len()
    );
    assert_eq!(expected.len() as i64, ORDERS as i64 + paid);
    kassa.kill().unwrap();
    kassa.wait().unwrap();
}
