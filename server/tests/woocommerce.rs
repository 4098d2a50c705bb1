//! The WooCommerce plugin (`integrations/woocommerce/`) driven against a real
//! Kassa: a store served by `php -S` places an order, the plugin creates the
//! session, the customer pays, and Kassa's signed webhook marks the order
//! paid. Forged webhooks change nothing.

mod common;

use common::TestApp;
use serde_json::{json, Value};
use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

/// `php -S` serving the test store; stopped when dropped.
struct Store {
    url: String,
    child: Child,
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start_store(port: u16, api_url: &str, key: &str, webhook_secret: &str, state_file: &Path) -> Store {
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../integrations/woocommerce");
    let child = Command::new("php")
        .args(["-S", &format!("127.0.0.1:{port}"), "tests/store.php"])
        .current_dir(&plugin)
        .env("KASSA_API_URL", api_url)
        .env("KASSA_SECRET_KEY", key)
        .env("KASSA_WEBHOOK_SECRET", webhook_secret)
        .env("KASSA_WC_STATE", state_file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("php runs (`make test` installs php-cli)");
    let store = Store { url: format!("http://127.0.0.1:{port}"), child };
    for _ in 0..100 {
        if reqwest::get(format!("{}/order?id=0", store.url)).await.is_ok() {
            return store;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("php -S did not start on port {port}");
}

async fn order(store: &Store, id: i64) -> Value {
    reqwest::get(format!("{}/order?id={id}", store.url)).await.unwrap().json().await.unwrap()
}

async fn webhook(store: &Store, headers: &[(&str, String)], body: &str) -> reqwest::StatusCode {
    let mut request =
        reqwest::Client::new().post(format!("{}/?wc-api=wc_gateway_kassa", store.url)).body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    request.send().await.unwrap().status()
}

/// The customer checks out at the store: the plugin creates the session.
/// The placed order as the store answers, and the session's id.
async fn place_order(store: &Store) -> (Value, String) {
    let placed: Value = reqwest::Client::new()
        .post(format!("{}/checkout", store.url))
        .json(&json!({"currency": "EUR", "email": "ada@example.com", "shipping": 4.95,
            "items": [{"name": "Espresso beans 1 kg", "quantity": 2, "price": 12.50}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(placed["result"], "success", "{placed}");
    let session_id = placed["redirect"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    (placed, session_id)
}

/// Waits (bounded) for the store's order to reach `status`.
async fn order_reaching(store: &Store, order_id: i64, status: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        last = order(store, order_id).await;
        if last["status"] == status {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test]
async fn a_woocommerce_order_is_paid_only_by_kassas_signed_webhook() {
    let php = Command::new("php").arg("-v").output();
    assert!(php.is_ok_and(|o| o.status.success()), "php is missing: `make test` installs php-cli");
    let app = TestApp::spawn().await;
    let port = free_port();
    let endpoint: Value = app.post_json("/v1/webhook_endpoints", json!({
            "url": format!("http://127.0.0.1:{port}/?wc-api=wc_gateway_kassa"),
            "enabled_events": ["checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed"],
        })).await;
    let secret = endpoint["secret"].as_str().unwrap().to_string();
    let store = start_store(port, &app.url, &app.key, &secret, &app.dir.path().join("orders.json")).await;

    // The customer checks out: the plugin creates the session and redirects.
    let (placed, session_id) = place_order(&store).await;
    let order_id = placed["order_id"].as_i64().unwrap();
    assert_eq!(placed["redirect"], format!("{}/pay/{session_id}", app.url));
    let session = app.retrieve(&session_id).await;
    assert_eq!(session["source"], "woocommerce");
    assert_eq!(session["amount"], 2995, "two bags and shipping, in cents");
    assert_eq!(session["currency"], "EUR");
    assert_eq!(session["order_id"], order_id.to_string());
    assert_eq!(session["woocommerce"]["order_id"], order_id.to_string());
    assert_eq!(session["woocommerce"]["order_key"], placed["order_key"]);
    assert_eq!(session["woocommerce"]["store_url"], format!("{}/", store.url));
    assert!(session["success_url"].as_str().unwrap().starts_with(&format!("{}/checkout/order-received/", store.url)));

    // Forged webhooks: unsigned, signed with another secret, or replayed late.
    let forged = json!({"id": "evt_forged", "type": "checkout.session.completed", "timestamp": "2026-11-25T00:00:00Z",
        "data": {"session": {"id": session_id, "status": "complete", "outcome": "paid", "amount": 2995, "currency": "EUR",
            "woocommerce": session["woocommerce"]}}})
    .to_string();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let signed = |secret: &str, at: i64| {
        let signature = server::webhooks::signature(&[secret.to_string()], "evt_forged", at, &forged).unwrap();
        vec![
            ("webhook-id", "evt_forged".to_string()),
            ("webhook-timestamp", at.to_string()),
            ("webhook-signature", signature),
        ]
    };
    assert_eq!(webhook(&store, &[], &forged).await, 401, "no signature");
    let other_secret = server::webhooks::new_secret();
    assert_eq!(webhook(&store, &signed(&other_secret, now), &forged).await, 401, "another secret");
    assert_eq!(webhook(&store, &signed(&secret, now - 3600), &forged).await, 401, "an hour-old replay");
    let mut tampered = signed(&secret, now);
    tampered[0].1 = "evt_other".into();
    assert_eq!(webhook(&store, &tampered, &forged).await, 401, "a signature for another message");
    let unpaid = order(&store, order_id).await;
    assert_eq!(unpaid["status"], "pending", "forged webhooks changed nothing: {unpaid}");
    assert!(unpaid.get("transaction_id").is_none());

    // Even a correctly signed message is checked against Kassa's own record:
    // the session is not paid yet, so the order stays pending.
    assert_eq!(webhook(&store, &signed(&secret, now), &forged).await, 200);
    assert_eq!(order(&store, order_id).await["status"], "pending", "Kassa says the session is not paid");

    // The customer pays; Kassa's webhook marks the order paid.
    let paid = app.pay(&session_id, "4242 4242 4242 4242").await;
    assert_eq!(paid.status(), 303);
    let last = order_reaching(&store, order_id, "processing").await;
    assert_eq!(last["status"], "processing", "{last}");
    assert_eq!(last["transaction_id"], session_id.as_str());
    assert!(last["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().starts_with("Paid with Kassa")));

    // The delivery Kassa logged is the one that did it. The store answers
    // before Kassa records that answer, so the log may still say pending.
    let mut deliveries = Value::Null;
    for _ in 0..100 {
        deliveries = app
            .get(&format!("/v1/webhook_endpoints/{}/deliveries", endpoint["id"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if deliveries[0]["status"] != "pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered = deliveries.as_array().unwrap();
    assert_eq!(delivered.len(), 1, "one event this endpoint asked for: {deliveries}");
    assert_eq!(delivered[0]["status"], "succeeded");
    assert_eq!(delivered[0]["attempts"][0]["http_status"], 200, "{deliveries}");
    assert_eq!(delivered[0]["attempts"][0]["response"], "ok");
}

#[tokio::test]
async fn a_live_store_sends_the_live_key_and_its_orders_are_paid_through_stripe() {
    let (app, live) = common::stripe::live_app("whsec_unused0000").await;
    let port = free_port();
    let endpoint: Value = app
        .post_json(
            "/v1/webhook_endpoints",
            json!({"url": format!("http://127.0.0.1:{port}/?wc-api=wc_gateway_kassa"),
                "enabled_events": ["checkout.session.completed"]}),
        )
        .await;
    let secret = endpoint["secret"].as_str().unwrap().to_string();
    // The plugin unchanged: only its key is the live one.
    let store = start_store(port, &app.url, &live, &secret, &app.dir.path().join("orders.json")).await;
    let (placed, session_id) = place_order(&store).await;
    let session = common::stripe::retrieve(&app, &live, &session_id).await;
    assert_eq!((session["livemode"].as_bool(), session["provider"].as_str()), (Some(true), Some("stripe")));
    assert_eq!(session["amount"], 2995);
    let paid = common::stripe::pay_token(&app, &session_id, "4242424242424242").await;
    assert_eq!(paid.status(), 303);
    let last = order_reaching(&store, placed["order_id"].as_i64().unwrap(), "processing").await;
    assert_eq!(last["status"], "processing", "a live order paid through Stripe: {last}");
    assert_eq!(last["transaction_id"], session_id.as_str());
}
