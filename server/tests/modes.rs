//! Live and test data in the dashboard: a site's provider route set from
//! the Sites page (its secrets never shown again), and one mode at a time
//! everywhere the merchant reads sessions — tab counts, search, the CSV
//! export and the overview — with test data marked as such.

mod common;

use common::browser::{user, Browser, PASSWORD};
use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::Scope;

const SECRET_KEY: &str = "sk_live_modes0123456789abcd";
const WEBHOOK_SECRET: &str = "whsec_modes0123456789";

/// The route form as the Sites page posts it.
async fn save_route(browser: &Browser<'_>, secret_key: &str) -> reqwest::Response {
    let csrf = browser.csrf().await;
    let form = [
        ("csrf", csrf.as_str()),
        ("site", browser.app.site_id.as_str()),
        ("provider", "stripe"),
        ("secret_key", secret_key),
        ("publishable_key", "pk_live_modes0123456789abcd"),
        ("webhook_secret", WEBHOOK_SECRET),
    ];
    browser.post("/dashboard/fn/save_route", &form).await
}

async fn live_session(app: &TestApp, live: &str, body: Value) -> String {
    let mut full = json!({"amount": 9900, "currency": "USD"});
    full.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    let response = app
        .client
        .post(format!("{}/v1/checkout/sessions", app.url))
        .bearer_auth(live)
        .json(&full)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["livemode"], true);
    session["id"].as_str().unwrap().to_string()
}

async fn switch(browser: &Browser<'_>, to: &str, back: &str) -> String {
    let csrf = browser.csrf().await;
    let response = browser.post("/dashboard/fn/switch_mode", &[("csrf", &csrf), ("to", to), ("back", back)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

async fn csv(browser: &Browser<'_>, query: &str) -> (String, String) {
    let response = browser
        .app
        .client
        .get(format!("{}/dashboard/sessions.csv?{query}", browser.app.url))
        .header("cookie", &browser.cookie)
        .send()
        .await
        .unwrap();
    let file = response.headers()["content-disposition"].to_str().unwrap().to_string();
    (file, response.text().await.unwrap())
}

fn count(page: &str, tab: &str) -> usize {
    let needle = format!("{tab} <span class=\"count\">");
    let start = page.find(&needle).unwrap_or_else(|| panic!("{tab} tab")) + needle.len();
    page[start..].split('<').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_dashboard_shows_live_and_test_data_apart_and_routes_live_payments() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();

    // No route yet: the dashboard starts on test data, marked.
    let (_, page) = browser.get("/dashboard").await;
    assert!(page.contains("class=\"test-data\"") && page.contains("View live data"), "{page}");

    // The route, from the Sites page: a malformed key is refused, saying what to fix.
    let refused = save_route(&browser, "sk_live_short").await;
    assert_eq!(location(&refused), "/dashboard/sites");
    let (_, sites) = browser.get("/dashboard/sites").await;
    assert!(sites.contains("Not saved: the secret key must look like sk_live_"), "{sites}");
    assert!(sites.contains("No live payments yet"));
    let live = app.live_key_with(&Scope::ALL).await;
    let refused = app
        .client
        .post(format!("{}/v1/checkout/sessions", app.url))
        .bearer_auth(&live)
        .json(&json!({"amount": 100, "currency": "USD"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "no route, no live sessions");
    save_route(&browser, SECRET_KEY).await;
    let (_, sites) = browser.get("/dashboard/sites").await;
    assert!(sites.contains("Live payments now go to stripe (secret key ending abcd)"), "{sites}");
    assert!(sites.contains("pk_live_modes0123456789abcd") && sites.contains("live keys"));
    assert!(sites.contains(&format!("/providers/stripe/webhook/{}", app.site_id)), "the webhook URL to give Stripe");
    assert!(!sites.contains(SECRET_KEY) && !sites.contains(WEBHOOK_SECRET), "secrets never shown again");
    let stored = app.everything_stored().await;
    assert!(!stored.contains(SECRET_KEY) && !stored.contains(WEBHOOK_SECRET), "sealed at rest");

    // Two modes of sessions, sharing an email so that a search could mix them.
    let test_paid = app.session(json!({"customer_email": "ada@example.com"})).await["id"].as_str().unwrap().to_string();
    app.pay(&test_paid, "4242424242424242").await;
    let test_open = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let live_open = live_session(&app, &live, json!({"customer_email": "ada@example.com"})).await;
    let live_expired = live_session(&app, &live, json!({})).await;
    app.client
        .post(format!("{}/v1/checkout/sessions/{live_expired}/expire", app.url))
        .bearer_auth(&live)
        .send()
        .await
        .unwrap();
    let live_third = live_session(&app, &live, json!({})).await;

    // Test data: test sessions only, everywhere.
    let (_, page) = browser.get("/dashboard").await;
    assert_eq!((count(&page, "All"), count(&page, "Succeeded"), count(&page, "Expired")), (2, 1, 0));
    assert!(page.contains(&test_paid) && page.contains(&test_open) && !page.contains(&live_open));
    let (_, found) = browser.get("/dashboard?q=ada%40example.com").await;
    assert!(found.contains(&test_paid) && !found.contains(&live_open));
    assert_eq!(count(&found, "All"), 1);
    let (file, rows) = csv(&browser, "tab=all").await;
    assert!(file.contains("checkout-sessions-test.csv"), "{file}");
    assert_eq!(rows.lines().count(), 3, "{rows}");
    assert!(!rows.contains(&live_open) && !rows.contains(&live_third));
    let (_, overview) = browser.get("/dashboard/overview").await;
    assert!(overview.contains(r#"data-testid="sessions">2<"#) && overview.contains("€25.00"), "{overview}");
    assert!(overview.contains("class=\"test-data\""));

    // Live data: back where the switch was pressed, live sessions only, no marker.
    assert_eq!(switch(&browser, "live", "/dashboard/overview").await, "/dashboard/overview");
    let (_, overview) = browser.get("/dashboard/overview").await;
    assert!(overview.contains(r#"data-testid="sessions">3<"#) && !overview.contains("€25.00"), "{overview}");
    assert!(!overview.contains("class=\"test-data\"") && overview.contains("View test data"));
    let (_, page) = browser.get("/dashboard").await;
    assert_eq!((count(&page, "All"), count(&page, "Succeeded"), count(&page, "Expired")), (3, 0, 1));
    assert!(page.contains(&live_open) && !page.contains(&test_paid));
    let (_, found) = browser.get("/dashboard?q=ada%40example.com").await;
    assert!(found.contains(&live_open) && !found.contains(&test_paid));
    let (file, rows) = csv(&browser, "tab=all").await;
    assert!(file.contains("\"checkout-sessions.csv\""), "{file}");
    assert_eq!(rows.lines().count(), 4);
    assert!(rows.contains(&live_expired) && !rows.contains(&test_paid));
    // A session's own page is marked by the session's mode, whichever the dashboard shows.
    let (_, detail) = browser.get(&format!("/dashboard/sessions/{test_paid}")).await;
    assert!(detail.contains("class=\"test-data\"") && detail.contains("Test (sandbox)"));

    // Only the dashboard's own pages are gone back to.
    assert_eq!(switch(&browser, "test", "https://evil.example/dashboard").await, "/dashboard");
    assert_eq!(switch(&browser, "test", "//evil.example").await, "/dashboard");
    let (_, page) = browser.get("/dashboard").await;
    assert_eq!(count(&page, "All"), 2);

    // The next sign-in starts on the data last switched to.
    switch(&browser, "live", "/dashboard").await;
    let again = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let (_, page) = again.get("/dashboard").await;
    assert!(!page.contains("class=\"test-data\"") && page.contains(&live_open));
    // And another merchant's dashboard cannot route this site.
    let other = app.add_merchant("Other Shop", &Scope::ALL).await;
    user(&app, &other.merchant_id, "other@shop.example").await;
    let theirs = Browser::sign_in(&app, "other@shop.example", PASSWORD).await.unwrap();
    let response = save_route(&theirs, "sk_live_other0123456789abcd").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let route = app.state.store.provider_route(&app.site_id).await.unwrap().unwrap();
    assert_eq!(route.secret_key_last4, "abcd");
}

#[tokio::test]
async fn a_key_reaches_only_its_own_modes_sessions_and_events() {
    let app = TestApp::spawn().await;
    let route = json!({"provider": "stripe", "secret_key": SECRET_KEY, "publishable_key": "pk_live_modes0123456789abcd",
        "webhook_secret": WEBHOOK_SECRET});
    let put = app.client.put(format!("{}/v1/sites/{}/provider_route", app.url, app.site_id)).bearer_auth(&app.key);
    assert_eq!(put.json(&route).send().await.unwrap().status(), StatusCode::OK);
    let live = app.live_key_with(&Scope::ALL).await;
    let live_id = live_session(&app, &live, json!({})).await;
    let test_id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let as_key = |key: &str, method: reqwest::Method, path: &str| {
        app.client.request(method, format!("{}{path}", app.url)).bearer_auth(key.to_string())
    };

    // Each key finds its own mode's session and not the other's, wherever it looks.
    for (key, own, other) in [(app.key.as_str(), &test_id, &live_id), (live.as_str(), &live_id, &test_id)] {
        let found = as_key(key, reqwest::Method::GET, &format!("/v1/checkout/sessions/{own}")).send().await.unwrap();
        assert_eq!(found.status(), StatusCode::OK);
        for path in [
            format!("/v1/checkout/sessions/{other}"),
            format!("/v1/checkout/sessions/{other}/refunds"),
            format!("/checkout/{}/session/{other}/status", app.site_id),
        ] {
            let response = as_key(key, reqwest::Method::GET, &path).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        }
        for verb in ["expire", "cancel", "capture"] {
            let path = format!("/v1/checkout/sessions/{other}/{verb}");
            let response = as_key(key, reqwest::Method::POST, &path).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let refund = as_key(key, reqwest::Method::POST, "/v1/refunds").json(&json!({"session_id": other}));
        assert!(refund.send().await.unwrap().status().is_client_error());
        let list: Value = as_key(key, reqwest::Method::GET, "/v1/checkout/sessions?limit=100")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ids: Vec<&str> = list["data"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec![own.as_str()]);
        let events: Value =
            as_key(key, reqwest::Method::GET, "/v1/events?limit=100").send().await.unwrap().json().await.unwrap();
        let events = events["data"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0]["session_id"], own.as_str());
        assert_eq!(events[0]["livemode"], key.starts_with("sk_live_"));
        assert_eq!(events[0]["data"]["session"]["livemode"], key.starts_with("sk_live_"));
        let id = events[0]["id"].as_str().unwrap();
        let other_key = if key == live { app.key.as_str() } else { live.as_str() };
        let response = as_key(other_key, reqwest::Method::GET, &format!("/v1/events/{id}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "the other mode's event");
    }
    // Both sessions untouched by the other mode's key.
    for id in [&live_id, &test_id] {
        let status: String = sqlx::query_scalar("SELECT status FROM checkout_sessions WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.store.reader())
            .await
            .unwrap();
        assert_eq!(status, "open");
    }

    // One Idempotency-Key, same body, in both modes: the live call never gets the test session back.
    let body = json!({"amount": 700, "currency": "EUR"});
    let test = as_key(&app.key, reqwest::Method::POST, "/v1/checkout/sessions")
        .header("idempotency-key", "order-42")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(test.status(), StatusCode::CREATED);
    let test: Value = test.json().await.unwrap();
    let again = as_key(&live, reqwest::Method::POST, "/v1/checkout/sessions")
        .header("idempotency-key", "order-42")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(again.headers().get("idempotent-replayed").is_none(), "not replayed across modes");
    let again: Value = again.json().await.unwrap();
    assert_ne!(again["id"], test["id"], "{again}");
    assert_ne!(again["livemode"], false, "{again}");
}
