//! The merchant API over real HTTP: creating, reading, listing, closing,
//! bad input, keys and idempotency.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::Scope;

async fn error_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(body["traceId"].as_str().is_some_and(|t| t.starts_with("tr_")), "{body}");
    (status, body["error"].clone())
}

#[tokio::test]
async fn create_returns_the_whole_session() {
    let app = TestApp::spawn().await;
    let response = app
        .create(json!({
            "amount": 2500, "currency": "EUR",
            "line_items": [{"name": "T-shirt", "quantity": 1, "unit_amount": 2500}],
            "customer_email": "ada@example.com", "order_id": "1001",
            "success_url": "https://shop.example/thanks?s={CHECKOUT_SESSION_ID}",
            "cancel_url": "https://shop.example/cart", "metadata": {"cart": "42"},
            "expires_in": 3600, "capture": "automatic", "sequence": "one_time", "locale": "en"
        }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let s: Value = response.json().await.unwrap();
    let id = s["id"].as_str().unwrap();
    assert!(id.starts_with("cs_") && id.len() >= 25);
    assert_eq!(s["url"], format!("{}/pay/{id}", app.url));
    assert_eq!((s["status"].as_str(), s["outcome"].as_str()), (Some("open"), Some("not_started")));
    assert_eq!(s["payment_status"], "unpaid");
    assert_eq!(s["site_id"], app.site_id);
    assert_eq!(s["source"], "api");
    assert_eq!(s["metadata"], json!({"cart": "42"}));
    assert_eq!(s["line_items"][0]["name"], "T-shirt");
    assert_eq!(s["settlement_currency"], "EUR");
    assert_eq!(s["provider"], "sandbox");
    assert!(s["expires_at"].as_str().unwrap().ends_with('Z'));
    let events =
        app.scalar("SELECT COUNT(*) FROM events WHERE session_id = $1 AND type = 'checkout.session.created'", id).await;
    assert_eq!(events, 1);
}

#[tokio::test]
async fn the_amount_can_come_from_the_line_items() {
    let app = TestApp::spawn().await;
    let s: Value = app
        .create(json!({"currency": "JPY", "line_items": [{"name": "Tea", "quantity": 3, "unit_amount": 800}]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["amount"], 2400);
}

#[tokio::test]
async fn bad_input_is_a_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(501);
    let many: serde_json::Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
    let long_key = "x".repeat(41);
    let long_key_param = format!("metadata[{long_key}]");
    let in_20_min = server::time::rfc3339(server::time::now_ms() + 20 * 60_000);
    let cases = vec![
        (json!({"amount": 100, "currency": "XYZ"}), "currency"),
        (json!({"amount": 100, "currency": "eur"}), "currency"),
        (json!({"amount": -1, "currency": "EUR"}), "amount"),
        (json!({"amount": 100_000_000_000i64, "currency": "EUR"}), "amount"),
        (json!({"amount": 1e30, "currency": "EUR"}), "amount"),
        (json!({"amount": "100", "currency": "EUR"}), "amount"),
        (json!({"currency": "EUR"}), "amount"),
        (json!({"amount": 100}), "currency"),
        (
            json!({"amount": 999, "currency": "EUR", "line_items": [{"name": "a", "quantity": 1, "unit_amount": 1000}]}),
            "amount",
        ),
        (
            json!({"currency": "EUR", "line_items": [{"name": "a", "quantity": 0, "unit_amount": 1}]}),
            "line_items[0].quantity",
        ),
        (
            json!({"currency": "EUR", "line_items": [{"name": "", "quantity": 1, "unit_amount": 1}]}),
            "line_items[0].name",
        ),
        (json!({"amount": 1, "currency": "EUR", "success_url": "not a url"}), "success_url"),
        (json!({"amount": 1, "currency": "EUR", "success_url": "ftp://shop.example/x"}), "success_url"),
        (json!({"amount": 1, "currency": "EUR", "cancel_url": "javascript:alert(1)"}), "cancel_url"),
        (json!({"amount": 1, "currency": "EUR", "expires_in": 60}), "expires_in"),
        (json!({"amount": 1, "currency": "EUR", "expires_in": 90_000}), "expires_in"),
        (json!({"amount": 1, "currency": "EUR", "expires_at": in_20_min}), "expires_at"),
        (json!({"amount": 1, "currency": "EUR", "expires_at": "tomorrow"}), "expires_at"),
        (json!({"amount": 1, "currency": "EUR", "metadata": many}), "metadata"),
        (json!({"amount": 1, "currency": "EUR", "metadata": {"k": long}}), "metadata[k]"),
        (json!({"amount": 1, "currency": "EUR", "metadata": {long_key.clone(): "v"}}), long_key_param.as_str()),
        (json!({"amount": 1, "currency": "EUR", "metadata": {"k": 5}}), "metadata.k"),
        (json!({"amount": 1, "currency": "EUR", "colour": "red"}), "colour"),
        (json!({"amount": 1, "currency": "EUR", "capture": "later"}), "capture"),
        (json!({"amount": 1, "currency": "EUR", "customer_email": "not-an-email"}), "customer_email"),
        (json!({"amount": 1, "currency": "EUR", "locale": "english please"}), "locale"),
        (
            json!({"amount": 1, "currency": "EUR", "woocommerce": {"store_url": "wp", "order_id": "1", "order_key": "k"}}),
            "woocommerce.store_url",
        ),
        (
            json!({"amount": 1, "currency": "EUR", "woocommerce": {"store_url": "https://wp.example", "order_id": "1"}}),
            "woocommerce",
        ),
    ];
    for (body, param) in cases {
        let (status, error) = error_of(app.create(body.clone()).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {error}");
        assert_eq!(error["param"], param, "{body}: {error}");
        assert_eq!(error["type"], "invalid_request_error");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let sessions = app.scalar("SELECT COUNT(*) FROM checkout_sessions WHERE merchant_id = $1", &app.merchant_id).await;
    assert_eq!(sessions, 0, "a refused request wrote nothing");
}

#[tokio::test]
async fn malformed_json_and_wrong_content_type() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/v1/checkout/sessions")
        .header("content-type", "application/json")
        .body("{\"amount\": ")
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(response).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::BAD_REQUEST, Some("json_invalid")));
    let response =
        app.post("/v1/checkout/sessions").form(&[("amount", "100"), ("currency", "EUR")]).send().await.unwrap();
    let (status, error) = error_of(response).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(error["message"].as_str().unwrap().contains("application/json"));
}

#[tokio::test]
async fn keys_are_checked_and_scoped() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let url = format!("{}/v1/checkout/sessions/{id}", app.url);
    let (status, _) = error_of(app.client.get(&url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let forged = format!("{}x", &app.key[..app.key.len() - 1]);
    let (status, _) = error_of(app.client.get(&url).bearer_auth(forged).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let status_only = app.key_with(&[Scope::StatusRead]).await;
    let (status, error) = error_of(app.client.get(&url).bearer_auth(&status_only).send().await.unwrap()).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::FORBIDDEN, Some("missing_scope")));
    let status_url = format!("{}/checkout/{}/session/{id}/status", app.url, app.site_id);
    let ok = app.client.get(&status_url).bearer_auth(&status_only).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let read_only = app.key_with(&[Scope::SessionsRead]).await;
    let (status, _) = error_of(app.client.get(&status_url).bearer_auth(&read_only).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the status API needs status:read");
    let stored = app.scalar("SELECT COUNT(*) FROM api_keys WHERE digest = $1 OR lookup = $1", &app.key).await;
    assert_eq!(stored, 0, "the key itself is never stored");
}

#[tokio::test]
async fn another_merchants_session_is_not_found() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let other = app.add_merchant("Other Shop", &Scope::ALL).await;
    let paths = [
        format!("/v1/checkout/sessions/{id}"),
        format!("/checkout/{}/session/{id}/status", app.site_id),
        format!("/checkout/{}/session/{id}/status", other.site_id),
    ];
    for path in paths {
        let response = app.client.get(format!("{}{path}", app.url)).bearer_auth(&other.key).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for action in ["expire", "cancel", "capture"] {
        let path = format!("{}/v1/checkout/sessions/{id}/{action}", app.url);
        let response = app.client.post(path).bearer_auth(&other.key).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(app.retrieve(&id).await["status"], "open");
}

#[tokio::test]
async fn list_filters_and_pages() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let email = if i % 2 == 0 { "even@example.com" } else { "odd@example.com" };
        ids.push(app.session(json!({"customer_email": email})).await["id"].as_str().unwrap().to_string());
    }
    let list: Value = app.get("/v1/checkout/sessions?limit=2").send().await.unwrap().json().await.unwrap();
    let page: Vec<&str> = list["data"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(page, vec![ids[4].as_str(), ids[3].as_str()]);
    assert_eq!(list["has_more"], true);
    let mut seen = page.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut cursor = seen.last().unwrap().clone();
    loop {
        let next: Value = app
            .get(&format!("/v1/checkout/sessions?limit=2&starting_after={cursor}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let data = next["data"].as_array().unwrap();
        seen.extend(data.iter().map(|s| s["id"].as_str().unwrap().to_string()));
        if next["has_more"] == false {
            break;
        }
        cursor = seen.last().unwrap().clone();
    }
    ids.reverse();
    assert_eq!(seen, ids, "every session once, newest first");

    let odd: Value =
        app.get("/v1/checkout/sessions?customer_email=odd@example.com").send().await.unwrap().json().await.unwrap();
    assert_eq!(odd["data"].as_array().unwrap().len(), 2);
    app.post(&format!("/v1/checkout/sessions/{}/cancel", ids[0])).send().await.unwrap();
    let cancelled: Value =
        app.get("/v1/checkout/sessions?status=cancelled").send().await.unwrap().json().await.unwrap();
    assert_eq!(cancelled["data"][0]["id"], ids[0]);
    assert_eq!(cancelled["data"].as_array().unwrap().len(), 1);

    for bad in ["limit=0", "limit=101", "status=paid", "limit=ten", "limit=2.5", "sort=asc"] {
        let response = app.get(&format!("/v1/checkout/sessions?{bad}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    // A cursor naming no session of this merchant is not found, and says which parameter.
    let response = app.get("/v1/checkout/sessions?starting_after=cs_nope").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["param"], "starting_after");
}

#[tokio::test]
async fn idempotency_key_replays_and_refuses_another_body() {
    let app = TestApp::spawn().await;
    let body = json!({"amount": 1500, "currency": "EUR"});
    let send =
        |body: Value| app.post("/v1/checkout/sessions").header("Idempotency-Key", "order-1-try-1").json(&body).send();
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = send(body.clone()).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let (status, error) = error_of(send(json!({"amount": 1600, "currency": "EUR"})).await.unwrap()).await;
    assert_eq!((status, error["type"].as_str()), (StatusCode::CONFLICT, Some("idempotency_error")));
}

#[tokio::test]
async fn a_key_a_dead_request_left_in_progress_is_taken_over_after_a_minute() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let path = format!("/v1/checkout/sessions/{id}/expire");
    let digest = server::api::idempotency::digest(&format!("POST {path}"), b"");
    // What a request killed after claiming its key leaves behind: the claim, no answer.
    let claim_left = |key: &'static str, age_ms: i64| {
        sqlx::query(
            "INSERT INTO idempotency_keys (merchant_id, key, request_digest, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&app.merchant_id)
        .bind(key)
        .bind(&digest)
        .bind(server::time::now_ms() - age_ms)
        .execute(app.state.store.reader())
    };
    let expire = |key: &'static str| app.post(&path).header("Idempotency-Key", key).send();

    claim_left("just-now", 1_000).await.unwrap();
    let (status, error) = error_of(expire("just-now").await.unwrap()).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency_key_in_use")));
    assert_eq!(app.retrieve(&id).await["status"], "open", "nothing ran meanwhile");

    claim_left("long-ago", 61_000).await.unwrap();
    let taken_over = expire("long-ago").await.unwrap();
    assert_eq!(taken_over.status(), StatusCode::OK);
    assert_eq!(app.retrieve(&id).await["status"], "expired");
    let replayed = expire("long-ago").await.unwrap();
    assert_eq!(
        (replayed.status(), replayed.headers()["idempotent-replayed"].to_str().unwrap()),
        (StatusCode::OK, "true")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refund_and_its_key_commit_together() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&id, "4242424242424242").await;
    let refund = |amount: i64| {
        app.post("/v1/refunds")
            .header("Idempotency-Key", "refund-1")
            .json(&json!({"session_id": id, "amount": amount}))
            .send()
    };
    // A refused refund leaves its key free: no claim was committed without it.
    let (status, _) = error_of(refund(9_999).await.unwrap()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let keys = app.scalar("SELECT COUNT(*) FROM idempotency_keys WHERE merchant_id = $1", &app.merchant_id).await;
    assert_eq!(keys, 0);
    // Ten at once with one key: one refund, one answer.
    let answers = futures::future::join_all((0..10).map(|_| refund(500))).await;
    let mut ids = std::collections::HashSet::new();
    for answer in answers {
        let answer = answer.unwrap();
        if answer.status() == StatusCode::CREATED {
            ids.insert(answer.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
        } else {
            assert_eq!(answer.status(), StatusCode::CONFLICT, "only a key still in use is refused");
        }
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(app.retrieve(&id).await["amount_refunded"], 500);
    let stored = app
        .scalar("SELECT COUNT(*) FROM idempotency_keys WHERE merchant_id = $1 AND status_code = 201", &app.merchant_id)
        .await;
    assert_eq!(stored, 1, "the answer was stored with the refund");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_creates_with_one_key_make_one_session() {
    let app = TestApp::spawn().await;
    let body = json!({"amount": 990, "currency": "EUR", "order_id": "race"});
    let requests =
        (0..20).map(|_| app.post("/v1/checkout/sessions").header("Idempotency-Key", "same-key").json(&body).send());
    let responses = futures::future::join_all(requests).await;
    let mut ids = std::collections::HashSet::new();
    for response in responses {
        let response = response.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        ids.insert(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1);
    let count = app.scalar("SELECT COUNT(*) FROM checkout_sessions WHERE merchant_id = $1", &app.merchant_id).await;
    assert_eq!(count, 1);
}

#[tokio::test]
async fn expire_and_cancel_close_an_open_session_once() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let expired: Value =
        app.post(&format!("/v1/checkout/sessions/{id}/expire")).send().await.unwrap().json().await.unwrap();
    assert_eq!(expired["status"], "expired");
    let (status, error) = error_of(app.post(&format!("/v1/checkout/sessions/{id}/cancel")).send().await.unwrap()).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::CONFLICT, Some("session_expired")));
    let partner = app.status_api(&id).await;
    assert_eq!(
        (partner["data"]["status"].as_str(), partner["data"]["outcome"].as_str()),
        (Some("Expired"), Some("Expired"))
    );

    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let cancel = |key: &'static str| {
        app.post(&format!("/v1/checkout/sessions/{id}/cancel")).header("Idempotency-Key", key).send()
    };
    let first: Value = cancel("c1").await.unwrap().json().await.unwrap();
    assert_eq!(first["status"], "cancelled");
    let replay = cancel("c1").await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.json::<Value>().await.unwrap(), first);
    let events = app
        .scalar("SELECT COUNT(*) FROM events WHERE session_id = $1 AND type = 'checkout.session.cancelled'", &id)
        .await;
    assert_eq!(events, 1);
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let app = TestApp::spawn().await;
    let doc: Value = app.client.get(format!("{}/openapi.json", app.url)).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let expected = [
        ("post", "/v1/checkout/sessions"),
        ("get", "/v1/checkout/sessions"),
        ("get", "/v1/checkout/sessions/{id}"),
        ("post", "/v1/checkout/sessions/{id}/expire"),
        ("post", "/v1/checkout/sessions/{id}/cancel"),
        ("post", "/v1/checkout/sessions/{id}/capture"),
        ("get", "/v1/checkout/sessions/{id}/refunds"),
        ("post", "/v1/refunds"),
        ("post", "/v1/payment_links"),
        ("get", "/v1/payment_links"),
        ("get", "/v1/payment_links/{id}"),
        ("post", "/v1/payment_links/{id}"),
        ("get", "/v1/events"),
        ("get", "/v1/events/{id}"),
        ("post", "/v1/webhook_endpoints"),
        ("get", "/v1/webhook_endpoints"),
        ("get", "/v1/webhook_endpoints/{id}"),
        ("post", "/v1/webhook_endpoints/{id}"),
        ("delete", "/v1/webhook_endpoints/{id}"),
        ("post", "/v1/webhook_endpoints/{id}/roll_secret"),
        ("post", "/v1/webhook_endpoints/{id}/test"),
        ("get", "/v1/webhook_endpoints/{id}/deliveries"),
        ("post", "/v1/webhook_deliveries/{id}/redeliver"),
        ("get", "/v1/sites"),
        ("get", "/v1/sites/{id}"),
        ("post", "/v1/sites/{id}"),
        ("get", "/v1/sites/{id}/provider_route"),
        ("put", "/v1/sites/{id}/provider_route"),
        ("get", "/v1/customers/{customer_id}/payment_methods"),
        ("get", "/v1/payment_methods/{id}"),
        ("post", "/v1/payment_methods/{id}/detach"),
        ("get", "/checkout/{siteId}/session/{checkoutSessionId}/status"),
    ];
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut wanted: Vec<_> = expected.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    wanted.sort();
    assert_eq!(documented, wanted);
    // Every documented route is served by an API handler (which answers JSON,
    // even to refuse), not by the static-file fallback.
    for (method, path) in expected {
        let path = path.replace("{id}", "cs_x").replace("{siteId}", "site_x").replace("{checkoutSessionId}", "cs_x");
        let request = match method {
            "post" => app.post(&path),
            "delete" => app.client.delete(format!("{}{path}", app.url)).bearer_auth(&app.key),
            "put" => app.client.put(format!("{}{path}", app.url)).bearer_auth(&app.key),
            _ => app.get(&path),
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED && kind.starts_with("application/json"),
            "{method} {path}: {status} {kind}"
        );
    }
    assert!(doc["components"]["schemas"]["SessionObject"]["properties"]["payment_status"].is_object());
}

#[tokio::test]
async fn no_api_answer_may_be_cached() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let answers = [
        app.get(&format!("/v1/checkout/sessions/{id}")).send().await.unwrap(),
        app.get(&format!("/checkout/{}/session/{id}/status", app.site_id)).send().await.unwrap(),
        app.create(json!({"amount": 2500, "currency": "EUR"})).await,
        app.client.get(format!("{}/v1/checkout/sessions", app.url)).send().await.unwrap(),
        app.get("/v1/checkout/sessions/cs_unknown").send().await.unwrap(),
    ];
    for answer in answers {
        let url = answer.url().to_string();
        assert_eq!(answer.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{url}");
    }
}
