//! Another merchant's key against every route of the OpenAPI document, on
//! this merchant's objects. The walk is generated from the served document,
//! so a new route is walked as soon as it exists (a path parameter this
//! test cannot fill fails it, asking to be added). Every answer is a 404,
//! nothing of ours shows in theirs, and nothing of ours changed.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::Scope;
use std::collections::HashMap;

/// What our merchant has: one of everything, a paid session among them.
async fn our_objects(app: &TestApp) -> HashMap<&'static str, String> {
    // Paid, and its card saved for the customer's later payments.
    let paid = app.session(json!({"sequence": "first_in_series", "customer_id": "cus-ours"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.pay(&paid, "4242424242424242").await;
    let method = app.retrieve(&paid).await["payment_method"].as_str().expect("a saved card").to_string();
    let link: Value =
        app.post_json("/v1/payment_links", json!({"title": "Tea", "currency": "EUR", "amount": 900})).await;
    let endpoint: Value = app
        .post_json("/v1/webhook_endpoints", json!({"url": "https://hooks.shop.example/kassa", "enabled_events": ["*"]}))
        .await;
    // A delivery to redeliver: the endpoint's test event.
    app.post(&format!("/v1/webhook_endpoints/{}/test", endpoint["id"].as_str().unwrap())).send().await.unwrap();
    let deliveries: Value = app
        .get(&format!("/v1/webhook_endpoints/{}/deliveries", endpoint["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let events: Value = app.get("/v1/events?limit=1").send().await.unwrap().json().await.unwrap();
    HashMap::from([
        ("session", paid),
        ("link", link["id"].as_str().unwrap().to_string()),
        ("endpoint", endpoint["id"].as_str().unwrap().to_string()),
        ("delivery", deliveries[0]["id"].as_str().expect("a delivery").to_string()),
        ("event", events["data"][0]["id"].as_str().unwrap().to_string()),
        ("site", app.site_id.clone()),
        ("method", method),
        ("customer", "cus-ours".to_string()),
    ])
}

/// Our object a path parameter names, by the path's resource.
fn fill(path: &str, ours: &HashMap<&'static str, String>) -> String {
    let mut filled = String::new();
    let mut resource = "";
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let value = match segment {
            "{siteId}" => ours["site"].clone(),
            "{checkoutSessionId}" => ours["session"].clone(),
            "{customer_id}" => ours["customer"].clone(),
            "{id}" => match resource {
                "sessions" => ours["session"].clone(),
                "payment_links" => ours["link"].clone(),
                "webhook_endpoints" => ours["endpoint"].clone(),
                "webhook_deliveries" => ours["delivery"].clone(),
                "events" => ours["event"].clone(),
                "sites" => ours["site"].clone(),
                "payment_methods" => ours["method"].clone(),
                other => panic!("{path}: teach this test which object `{{id}}` of `{other}` is"),
            },
            s if s.starts_with('{') => panic!("{path}: teach this test what {s} is"),
            s => {
                resource = s;
                s.to_string()
            }
        };
        filled += "/";
        filled += &value;
    }
    filled
}

/// A body that names our objects where the operation takes one.
fn body(method: &str, path: &str, ours: &HashMap<&'static str, String>) -> Option<Value> {
    match (method, path) {
        ("post", "/v1/refunds") => Some(json!({"session_id": ours["session"], "amount": 100})),
        ("post", "/v1/checkout/sessions") => Some(json!({"amount": 100, "currency": "EUR", "site_id": ours["site"]})),
        ("post", "/v1/payment_links") => {
            Some(json!({"title": "Theirs", "currency": "EUR", "amount": 100, "site_id": ours["site"]}))
        }
        ("post", "/v1/webhook_endpoints") => {
            Some(json!({"url": "https://theirs.example/hook", "enabled_events": ["*"]}))
        }
        ("post", "/v1/webhook_endpoints/{id}") => Some(json!({"disabled": true})),
        ("post", "/v1/payment_links/{id}") => Some(json!({"active": false})),
        ("post", "/v1/sites/{id}") => Some(json!({"name": "Taken over"})),
        ("put", "/v1/sites/{id}/provider_route") => Some(json!({"provider": "stripe",
            "secret_key": "sk_live_takenover00", "publishable_key": "pk_live_takenover00",
            "webhook_secret": "whsec_takenover00"})),
        ("post", _) => Some(json!({})),
        _ => None,
    }
}

/// Everything of ours the API shows us, to compare before and after.
async fn everything_of_ours(app: &TestApp, ours: &HashMap<&'static str, String>) -> Vec<Value> {
    let mut seen = Vec::new();
    for path in [
        format!("/v1/checkout/sessions/{}", ours["session"]),
        format!("/v1/checkout/sessions/{}/refunds", ours["session"]),
        format!("/v1/payment_links/{}", ours["link"]),
        format!("/v1/webhook_endpoints/{}", ours["endpoint"]),
        format!("/v1/webhook_endpoints/{}/deliveries", ours["endpoint"]),
        format!("/v1/sites/{}", ours["site"]),
        format!("/v1/payment_methods/{}", ours["method"]),
        format!("/v1/customers/{}/payment_methods", ours["customer"]),
        "/v1/checkout/sessions?limit=100".to_string(),
        "/v1/payment_links".to_string(),
        "/v1/webhook_endpoints".to_string(),
    ] {
        let mut answer: Value = app.get(&path).send().await.unwrap().json().await.unwrap();
        // Deliveries retry on their own; what matters is how many there are.
        if path.ends_with("/deliveries") {
            answer = json!(answer.as_array().map(Vec::len));
        }
        seen.push(answer);
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_merchants_key_reaches_none_of_our_objects_on_any_route() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    let ours = our_objects(&app).await;
    let theirs = app.add_merchant("Other shop", &Scope::ALL).await;
    let before = everything_of_ours(&app, &ours).await;

    let doc: Value = app.client.get(format!("{}/openapi.json", app.url)).send().await.unwrap().json().await.unwrap();
    let mut walked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, _) in operations.as_object().unwrap() {
            let url = format!("{}{}", app.url, fill(path, &ours));
            let mut request = app.client.request(method.to_uppercase().parse().unwrap(), &url).bearer_auth(&theirs.key);
            if let Some(body) = body(method, path, &ours) {
                request = request.json(&body);
            }
            let answer = request.send().await.unwrap();
            let status = answer.status();
            let text = answer.text().await.unwrap();
            // A customer id is the merchant's own name: theirs lists their own customer of that name.
            let aims_at_ours = (path.contains('{') && !path.contains("{customer_id}"))
                || body(method, path, &ours)
                    .is_some_and(|b| b.to_string().contains(&ours["site"]) || b.to_string().contains(&ours["session"]));
            if aims_at_ours {
                assert!(
                    status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                    "{method} {path} with their key on our objects answered {status}: {text}"
                );
            } else {
                assert!(status.is_success(), "{method} {path}: {status} {text}");
                let shown = ours.values().find(|id| text.contains(id.as_str()));
                assert!(shown.is_none(), "{method} {path} shows them our {shown:?}: {text}");
            }
            walked += 1;
        }
    }
    assert!(walked >= 27, "every operation walked ({walked})");
    assert_eq!(everything_of_ours(&app, &ours).await, before, "nothing of ours changed");
    let theirs_made =
        app.scalar("SELECT COUNT(*) FROM checkout_sessions WHERE merchant_id = $1", &theirs.merchant_id).await;
    assert_eq!(theirs_made, 0, "no session made on our site");
}
