//! The merchant dashboard over real HTTP: signing in, finding sessions,
//! acting on them, and never seeing another merchant's.

mod common;

use common::browser::{user, Browser, PASSWORD};
use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use server::store::Scope;

async fn paid(app: &TestApp, extra: serde_json::Value) -> String {
    let id = app.session(extra).await["id"].as_str().unwrap().to_string();
    app.pay(&id, "4242424242424242").await;
    id
}

#[tokio::test]
async fn sign_in_refuses_a_wrong_password_and_slows_down_guessing() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let page = Browser::sign_in(&app, "owner@shop.example", "nope").await.err().unwrap();
    assert!(page.contains("Wrong email or password.") && page.contains(r#"value="owner@shop.example""#), "{page}");
    let page = Browser::sign_in(&app, "nobody@shop.example", PASSWORD).await.err().unwrap();
    assert!(page.contains("Wrong email or password."), "{page}");
    let (_, page) = app.page("/dashboard/sign-in").await;
    assert!(!page.contains("Wrong email or password."), "said once: {page}");
    let browser = Browser::sign_in(&app, "Owner@Shop.example", PASSWORD).await.expect("right password");
    let (status, page) = browser.get("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Checkout sessions") && page.contains("Test Shop"));
    let anonymous = app.client.get(format!("{}/dashboard", app.url)).send().await.unwrap();
    assert_eq!(location(&anonymous), "/dashboard/sign-in");
    for _ in 0..5 {
        let _ = Browser::sign_in(&app, "owner@shop.example", "guess").await;
    }
    let page = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.err().unwrap();
    assert!(page.contains("Too many failed sign-ins"), "{page}");
}

fn behind_a_proxy(config: &mut server::config::Config) {
    config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_are_each_counted_before_any_password_is_checked() {
    // Each guess from its own address, so each reads its own answer; the
    // account's count is the one they share.
    let app = TestApp::spawn_with(behind_a_proxy).await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let guesses = (0..20).map(|i| {
        let app = &app;
        async move {
            let from = format!("203.0.113.{i}");
            Browser::sign_in_from(app, "owner@shop.example", &format!("guess {i}"), Some(&from)).await.err().unwrap()
        }
    });
    let pages = futures::future::join_all(guesses).await;
    let count = |said: &str| pages.iter().filter(|page| page.contains(said)).count();
    assert_eq!(
        (count("Wrong email or password."), count("Too many failed sign-ins for this email")),
        (5, 15),
        "five checked, the rest refused unchecked"
    );
    let page = Browser::sign_in_from(&app, "owner@shop.example", PASSWORD, Some("203.0.113.99")).await.err().unwrap();
    assert!(page.contains("Too many failed sign-ins for this email"), "the right password waits too");
}

#[tokio::test]
async fn one_address_guessing_across_many_accounts_is_stopped() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    for i in 0..20 {
        let page = Browser::sign_in(&app, &format!("user{i}@shop.example"), "guess").await.err().unwrap();
        assert!(page.contains("Wrong email or password."), "try {i}");
    }
    let page = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.err().unwrap();
    assert!(page.contains("Too many failed sign-ins from your network"), "{page}");
}

#[tokio::test]
async fn a_sign_in_posted_from_another_site_is_refused() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let response = app
        .client
        .post(format!("{}/dashboard/fn/sign_in", app.url))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "owner@shop.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("set-cookie").is_none(), "no login from another site's form");
}

#[tokio::test]
async fn tabs_count_and_search_finds_by_id_email_and_order() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let paid_id = paid(&app, json!({"customer_email": "ada@example.com", "order_id": "A-77"})).await;
    let woo = app
        .session(json!({"woocommerce": {"store_url": "https://wp.shop.example", "order_id": "4711", "order_key": "wc_order_abc"}}))
        .await;
    assert_eq!(woo["source"], "woocommerce");
    assert_eq!(woo["woocommerce"]["order_key"], "wc_order_abc");
    let woo_id = woo["id"].as_str().unwrap().to_string();
    let declined = app.session(json!({"customer_email": "bob@example.com"})).await["id"].as_str().unwrap().to_string();
    app.pay(&declined, "4000000000000002").await;
    let open = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let refunded = paid(&app, json!({})).await;
    app.post("/v1/refunds").json(&json!({"session_id": refunded, "amount": 100})).send().await.unwrap();
    let expired = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.post(&format!("/v1/checkout/sessions/{expired}/expire")).send().await.unwrap();
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let (_, page) = browser.get("/dashboard").await;
    for (tab, count) in
        [("All", 6), ("Open", 2), ("Succeeded", 1), ("Failed", 1), ("Expired", 1), ("Cancelled", 0), ("Refunded", 1)]
    {
        assert!(page.contains(&format!("{tab} <span class=\"count\">{count}</span>")), "{tab} {count}");
    }
    let (_, failed) = browser.get("/dashboard?tab=failed").await;
    assert!(failed.contains(&declined) && !failed.contains(&open));
    assert!(failed.contains("badge badge-failed"));
    let (_, refunded_tab) = browser.get("/dashboard?tab=refunded").await;
    assert!(refunded_tab.contains(&refunded) && refunded_tab.contains("Partially refunded"));
    for (q, expected) in
        [("ada@example.com", &paid_id), ("A-77", &paid_id), ("4711", &woo_id), (declined.as_str(), &declined)]
    {
        let (_, found) = browser.get(&format!("/dashboard?q={}", urlencode(q))).await;
        assert!(found.contains(expected.as_str()), "{q}");
        assert!(!found.contains(&open), "{q} finds only its session");
    }
    let (_, none) = browser.get("/dashboard?q=nobody%40example.com").await;
    assert!(none.contains("No checkout sessions match."));
    let (status, bad_date) = browser.get("/dashboard?from=yesterday").await;
    assert_eq!(status, StatusCode::OK);
    assert!(bad_date.contains("is not a date"));
    let (_, today) =
        browser.get(&format!("/dashboard?from={}", &server::time::rfc3339(server::time::now_ms())[..10])).await;
    assert!(today.contains(&open));
    let (_, links) = browser.get("/dashboard?source=payment_link").await;
    assert!(links.contains("No checkout sessions match."));
    let (_, from_woo) = browser.get("/dashboard?source=woocommerce").await;
    assert!(from_woo.contains(&woo_id) && !from_woo.contains(&format!("/dashboard/sessions/{paid_id}")));
    let (_, woo_page) = browser.get(&format!("/dashboard/sessions/{woo_id}")).await;
    assert!(woo_page.contains("https://wp.shop.example/wp-admin/admin.php?page=wc-orders&amp;action=edit&amp;id=4711"));
    assert!(woo_page.contains("wc_order_abc"));
}

fn urlencode(text: &str) -> String {
    text.replace('@', "%40")
}

#[tokio::test]
async fn pages_are_keyset_cursors_and_a_stale_cursor_falls_back() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let mut ids = Vec::new();
    for _ in 0..27 {
        ids.push(app.session(json!({})).await["id"].as_str().unwrap().to_string());
    }
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let (_, first) = browser.get("/dashboard").await;
    assert!(first.contains(&ids[26]) && first.contains(&ids[2]) && !first.contains(&ids[1]));
    let next = format!("/dashboard?tab=all&amp;after={}", ids[2]);
    assert!(first.contains(&next), "a next link after the last row");
    let (_, second) = browser.get(&format!("/dashboard?tab=all&after={}", ids[2])).await;
    let link = |id: &str| format!("href=\"/dashboard/sessions/{id}\"");
    assert!(second.contains(&link(&ids[1])) && second.contains(&link(&ids[0])) && !second.contains(&link(&ids[2])));
    assert!(!second.contains("rel=\"next\""), "the last page has no next link");
    let (_, exactly_one) = browser.get(&format!("/dashboard?tab=all&after={}", ids[25])).await;
    assert!(!exactly_one.contains("rel=\"next\""), "exactly one page left: no next link");
    assert_eq!(exactly_one.matches("href=\"/dashboard/sessions/cs_").count(), 25);
    let (_, stale) = browser.get("/dashboard?after=cs_gone").await;
    assert!(stale.contains("That page is no longer there") && stale.contains(&ids[26]));
}

#[tokio::test]
async fn the_detail_page_shows_everything_and_a_refund_lands_on_the_timeline() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let id = app
        .session(json!({"customer_email": "ada@example.com", "order_id": "1001", "metadata": {"cart": "42"},
            "line_items": [{"name": "T-shirt", "quantity": 1, "unit_amount": 2500}]}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.client
        .get(format!("{}/pay/{id}", app.url))
        .header("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")
        .header("accept-language", "nl-NL")
        .send()
        .await
        .unwrap();
    app.pay(&id, "4000000000000002").await;
    app.pay(&id, "4242424242424242").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let (status, page) = browser.get(&format!("/dashboard/sessions/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "€25.00",
        "Paid",
        "ada@example.com",
        "1001",
        r#"{"cart":"42"}"#,
        "127.0.0.1",
        "Chrome",
        "Windows",
        "nl-NL",
        "Visa •••• 4242",
        "1 × T-shirt",
        "Your card was declined",
        "card_declined",
        "Session created",
        "Customer opened the payment page",
        "Payment attempt failed",
        "Session completed",
        "sandbox",
    ] {
        assert!(page.contains(expected), "the detail page shows {expected}");
    }
    let (succeeded, completed) =
        (page.find("Payment attempt succeeded").unwrap(), page.find("Session completed").unwrap());
    assert!(succeeded < completed, "the timeline keeps the order events were written in");
    let csrf = browser.csrf().await;
    let refused = browser.post("/dashboard/fn/refund", &[("csrf", "forged"), ("session", &id), ("amount", "1")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let too_much =
        browser.post("/dashboard/fn/refund", &[("csrf", &csrf), ("session", &id), ("amount", "30.00")]).await;
    assert_eq!(location(&too_much), format!("/dashboard/sessions/{id}"));
    let (_, page) = browser.get(&location(&too_much)).await;
    assert!(page.contains("more than the 2500 that remains"), "{page}");
    let (_, page) = browser.get(&location(&too_much)).await;
    assert!(!page.contains("more than the 2500 that remains"), "said once");
    let half = browser
        .post("/dashboard/fn/refund", &[("csrf", &csrf), ("session", &id), ("amount", "12.50"), ("reason", "returned")])
        .await;
    assert_eq!(location(&half), format!("/dashboard/sessions/{id}"));
    let (_, page) = browser.get(&location(&half)).await;
    assert!(page.contains("Refund made.") && page.contains("Partially refunded") && page.contains("Refunded €12.50"));
    assert_eq!(app.retrieve(&id).await["amount_refunded"], 1250);
}

#[tokio::test]
async fn expire_cancel_and_recover_from_the_dashboard() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let csrf = browser.csrf().await;
    let id = app.session(json!({"customer_email": "ada@example.com"})).await["id"].as_str().unwrap().to_string();
    let (_, page) = browser.get(&format!("/dashboard/sessions/{id}")).await;
    assert!(page.contains(&format!("{}/pay/{id}", app.url)), "the hosted page link to copy");
    browser.post("/dashboard/fn/expire", &[("csrf", &csrf), ("session", &id)]).await;
    assert_eq!(app.retrieve(&id).await["status"], "expired");
    let again = browser.post("/dashboard/fn/cancel", &[("csrf", &csrf), ("session", &id)]).await;
    let (_, page) = browser.get(&location(&again)).await;
    assert!(page.contains(r#"role="alert""#), "the refusal is said: {page}");
    assert_eq!(app.retrieve(&id).await["status"], "expired");
    let recovered = browser.post("/dashboard/fn/recover", &[("csrf", &csrf), ("session", &id)]).await;
    let target = location(&recovered);
    let new_id = target.trim_start_matches("/dashboard/sessions/").to_string();
    assert_ne!(new_id, id);
    let new = app.retrieve(&new_id).await;
    assert_eq!(
        (new["status"].as_str(), new["customer_email"].as_str(), new["amount"].as_i64()),
        (Some("open"), Some("ada@example.com"), Some(2500))
    );
    let (_, old_page) = browser.get(&format!("/dashboard/sessions/{id}")).await;
    assert!(old_page.contains("Recovery session created") && old_page.contains(&new_id));
    let cancel_id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    browser.post("/dashboard/fn/cancel", &[("csrf", &csrf), ("session", &cancel_id)]).await;
    assert_eq!(app.retrieve(&cancel_id).await["status"], "cancelled");
}

#[tokio::test]
async fn a_customers_cancel_and_where_they_were_show_on_the_detail_and_in_the_csv() {
    let geo = tempfile::tempdir().unwrap();
    let database = common::geoip_database(geo.path());
    let app = TestApp::spawn_with(|config| config.geoip_db = Some(database)).await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let id = app.session(json!({"cancel_url": "https://shop.example/cart"})).await["id"].as_str().unwrap().to_string();
    // Opened from 127.0.0.1, which the test database puts in Amsterdam; then given up.
    app.page(&format!("/pay/{id}")).await;
    let cancelled = app.cancel("", &id).await;
    assert_eq!(location(&cancelled), "https://shop.example/cart");
    let (_, page) = browser.get(&format!("/dashboard/sessions/{id}")).await;
    assert!(page.contains("Amsterdam, NL"), "{page}");
    assert!(page.contains("Customer cancelled the checkout"), "{page}");
    let (_, csv) = browser.get("/dashboard/sessions.csv?tab=all").await;
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",customer_country,customer_city"), "{csv}");
    let row = lines.find(|l| l.starts_with(&id)).unwrap();
    assert!(row.ends_with(",NL,Amsterdam"), "{row}");
}

#[tokio::test]
async fn another_merchant_sees_and_changes_nothing() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "a@shop.example").await;
    let other = app.add_merchant("B Shop", &Scope::ALL).await;
    user(&app, &other.merchant_id, "b@shop.example").await;
    let id = paid(&app, json!({"customer_email": "secret@example.com"})).await;
    let b = Browser::sign_in(&app, "b@shop.example", PASSWORD).await.unwrap();
    let csrf = b.csrf().await;
    let (status, _) = b.get(&format!("/dashboard/sessions/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for action in ["refund", "expire", "cancel", "recover", "resend_receipt"] {
        let form = [("csrf", csrf.as_str()), ("session", &id), ("amount", "1")];
        let response = b.post(&format!("/dashboard/fn/{action}"), &form).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let (_, page) = b.get("/dashboard").await;
    assert!(!page.contains(&id) && !page.contains("secret@example.com"));
    for query in [format!("?q={id}"), "?q=secret%40example.com".into()] {
        let (_, page) = b.get(&format!("/dashboard{query}")).await;
        assert!(
            page.contains("No checkout sessions match.") && !page.contains(&format!("/dashboard/sessions/{id}")),
            "{query}"
        );
    }
    for path in
        [format!("/dashboard/rows?q={id}"), format!("/dashboard/sessions.csv?q={id}"), "/dashboard/overview".into()]
    {
        let (status, body) = b.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!body.contains(&id), "{path}: {body}");
    }
    let (_, page) = b.get(&format!("/dashboard?after={id}")).await;
    assert!(page.contains("That page is no longer there") && !page.contains(&format!("/dashboard/sessions/{id}")));
    assert_eq!(app.retrieve(&id).await["amount_refunded"], 0);
}

#[tokio::test]
async fn signing_out_ends_access() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let csrf = browser.csrf().await;
    let forged = browser.post("/dashboard/fn/sign_out", &[("csrf", "nope")]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let out = browser.post("/dashboard/fn/sign_out", &[("csrf", &csrf)]).await;
    assert_eq!(location(&out), "/dashboard/sign-in");
    let (status, _) = browser.get("/dashboard").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the old cookie no longer works");
}

#[tokio::test]
async fn csv_export_streams_every_filtered_row() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let paid_id = paid(&app, json!({"order_id": "=1+2"})).await;
    // A hundred thousand sessions, written straight into the store.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO checkout_sessions (id, merchant_id, site_id, livemode, source, sequence, capture, amount, currency,
            line_items, metadata, provider, settlement_currency, status, outcome, expires_at, created_at, updated_at)
         SELECT 'cs_bulk' || i, $1, $2, 0, 'api', 'one_time', 'automatic', i, 'EUR', '[]', '{}', 'sandbox', 'EUR',
            'expired', 'not_started', 1, i, i FROM n",
    )
    .bind(&app.merchant_id)
    .bind(&app.site_id)
    .execute(app.state.store.reader())
    .await
    .unwrap();
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let response = app
        .client
        .get(format!("{}/dashboard/sessions.csv?tab=all", app.url))
        .header("cookie", &browser.cookie)
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers().get("content-encoding").is_none(), "as browsers ask for it, uncompressed");
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 100_002, "a header and every session");
    assert!(lines[0].starts_with("id,created_at,status,outcome,state,amount"));
    assert!(lines[1].starts_with(&paid_id) && lines[1].contains(",'=1+2,") && lines[1].contains(",Paid,"));
    assert!(lines[100_001].starts_with("cs_bulk1,"), "oldest last");
    let ids: std::collections::HashSet<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids.len(), 100_001, "no row twice");
    let (_, page) = browser.get("/dashboard?tab=succeeded").await;
    assert!(page.contains("/dashboard/sessions.csv?tab=succeeded"));
    let succeeded = app
        .client
        .get(format!("{}/dashboard/sessions.csv?tab=succeeded", app.url))
        .header("cookie", &browser.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(succeeded.lines().count(), 2);
    let anonymous = app.client.get(format!("{}/dashboard/sessions.csv", app.url)).send().await.unwrap();
    assert_eq!(location(&anonymous), "/dashboard/sign-in");
}

#[tokio::test]
async fn the_overview_counts_the_last_30_days() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let other = app.add_merchant("B Shop", &Scope::ALL).await;
    user(&app, &other.merchant_id, "b@shop.example").await;
    paid(&app, json!({})).await;
    paid(&app, json!({"amount": 1000})).await;
    let declined = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&declined, "4000000000000002").await;
    app.session(json!({})).await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let (status, page) = browser.get("/dashboard/overview").await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        r#"data-testid="sessions">4<"#,
        r#"data-testid="succeeded">2<"#,
        r#"data-testid="conversion">50.0%<"#,
        r#"data-testid="revenue">€35.00<"#,
        r#"class="bar-succeeded""#,
        r#"class="bar-failed""#,
        "2 succeeded, 1 failed, 1 open",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    let b = Browser::sign_in(&app, "b@shop.example", PASSWORD).await.unwrap();
    let (_, page) = b.get("/dashboard/overview").await;
    assert!(page.contains(r#"data-testid="sessions">0<"#) && !page.contains("€35.00"));
}

#[tokio::test]
async fn webhook_deliveries_show_on_the_session_and_can_be_sent_again() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let endpoint: serde_json::Value =
        app.post_json("/v1/webhook_endpoints", json!({"url": "http://127.0.0.1:9/closed"})).await;
    assert!(endpoint["id"].as_str().unwrap().starts_with("we_"));
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    server::webhooks::deliver_due(&app.state, server::time::now_ms()).await.unwrap();
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let (_, page) = browser.get(&format!("/dashboard/sessions/{id}")).await;
    assert!(page.contains("Webhook checkout.session.created sent"));
    assert!(page.contains("http://127.0.0.1:9/closed") && page.contains("could not connect"));
    let delivery: String = sqlx::query_scalar("SELECT id FROM webhook_deliveries WHERE session_id = $1")
        .bind(&id)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    assert!(page.contains(r#"action="/dashboard/fn/redeliver""#) && page.contains(&format!(r#"value="{delivery}""#)));
    let csrf = browser.csrf().await;
    let other = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let wrong =
        browser.post("/dashboard/fn/redeliver", &[("csrf", &csrf), ("session", &other), ("delivery", &delivery)]).await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND, "a delivery is resent only from its own session");
    let again =
        browser.post("/dashboard/fn/redeliver", &[("csrf", &csrf), ("session", &id), ("delivery", &delivery)]).await;
    assert_eq!(location(&again), format!("/dashboard/sessions/{id}"));
    let (_, page) = browser.get(&location(&again)).await;
    assert!(page.contains("The webhook will be sent again in a moment."), "{page}");
    let next: i64 = sqlx::query_scalar("SELECT next_attempt_at FROM webhook_deliveries WHERE id = $1")
        .bind(&delivery)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    assert!(next <= server::time::now_ms(), "due now");
}

fn outbox(app: &TestApp) -> Vec<String> {
    let dir = app.dir.path().join("outbox");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

async fn wait_for_mail(app: &TestApp, count: usize) -> Vec<String> {
    for _ in 0..100 {
        let mail = outbox(app);
        if mail.len() >= count {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{count} receipts never reached the outbox: {:?}", outbox(app));
}

#[tokio::test]
async fn paying_sends_one_receipt_with_a_portal_link_and_resend_sends_another() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let declined = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&declined, "4000000000000002").await;
    let id = paid(&app, json!({"line_items": [{"name": "Green tea", "quantity": 2, "unit_amount": 1250}]})).await;
    let mail = wait_for_mail(&app, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(outbox(&app).len(), 1, "one receipt, none for the declined session");
    // Quoted-printable: join the soft-wrapped lines back up.
    let eml = &mail[0].replace("=\r\n", "");
    assert!(eml.contains("To: ada@example.com"));
    assert!(eml.contains("Subject: Your receipt from Test Shop"));
    assert!(eml.contains("Green tea") && eml.contains("Total paid") && eml.contains(&id));
    let link =
        eml.lines().find_map(|l| l.split_whitespace().find(|w| w.contains("/r/"))).expect("a portal link").to_string();
    let path = &link[link.find("/r/").unwrap()..];
    let (status, page) = app.page(path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Receipt")
            && page.contains(">Paid<")
            && page.contains("Visa •••• 4242")
            && page.contains("Green tea")
    );
    let (status, _) = app.page("/r/not-a-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let (_, detail) = browser.get(&format!("/dashboard/sessions/{id}")).await;
    assert!(detail.contains(&link), "the portal link to copy");
    assert!(detail.contains("Receipt sent"), "on the timeline");
    let csrf = browser.csrf().await;
    let resent = browser.post("/dashboard/fn/resend_receipt", &[("csrf", &csrf), ("session", &id)]).await;
    assert_eq!(location(&resent), format!("/dashboard/sessions/{id}"));
    assert_eq!(wait_for_mail(&app, 2).await.len(), 2);
    let refused = browser.post("/dashboard/fn/resend_receipt", &[("csrf", &csrf), ("session", &declined)]).await;
    let (_, page) = browser.get(&location(&refused)).await;
    assert!(page.contains("Only a paid session has a receipt."), "{page}");
}

#[tokio::test]
async fn webhook_endpoints_are_managed_from_the_dashboard() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let csrf = browser.csrf().await;
    let bad = browser.post("/dashboard/fn/create_endpoint", &[("csrf", &csrf), ("url", "ftp://nope")]).await;
    let (_, page) = browser.get(&location(&bad)).await;
    assert!(page.contains(r#"role="alert""#) && !page.contains("ftp://nope</h2>"), "{page}");
    let created = browser
        .post(
            "/dashboard/fn/create_endpoint",
            &[
                ("csrf", &csrf),
                ("url", "http://127.0.0.1:9/hook"),
                ("events[]", "checkout.session.completed"),
                ("events[]", "refund.created"),
            ],
        )
        .await;
    assert_eq!(location(&created), "/dashboard/webhooks");
    let (_, page) = browser.get("/dashboard/webhooks").await;
    assert!(page.contains("whsec_"), "the secret, shown once");
    assert!(
        !app.everything_stored().await.contains(page.split("whsec_").nth(1).unwrap().split('<').next().unwrap()),
        "never stored in clear"
    );
    assert!(page.contains("checkout.session.completed, refund.created"));
    let endpoint: String =
        sqlx::query_scalar("SELECT id FROM webhook_endpoints").fetch_one(app.state.store.reader()).await.unwrap();
    let (_, later) = browser.get("/dashboard/webhooks").await;
    assert!(!later.contains("whsec_"), "and never again");

    let on_endpoint = |function: &'static str| {
        let form = [("csrf", csrf.clone()), ("endpoint", endpoint.clone())];
        let browser = &browser;
        async move {
            browser.post(&format!("/dashboard/fn/{function}"), &[("csrf", &form[0].1), ("endpoint", &form[1].1)]).await
        }
    };
    on_endpoint("switch_endpoint").await;
    let (_, page) = browser.get("/dashboard/webhooks").await;
    assert!(page.contains(">disabled<") && page.contains("disabled by the merchant"));
    on_endpoint("switch_endpoint").await;
    let tested = on_endpoint("test_endpoint").await;
    assert_eq!(location(&tested), "/dashboard/webhooks");
    server::webhooks::deliver_due(&app.state, server::time::now_ms()).await.unwrap();
    let (_, page) = browser.get("/dashboard/webhooks").await;
    assert!(page.contains("webhook_endpoint.test") && page.contains("could not connect"));
    let rolled = on_endpoint("roll_endpoint_secret").await;
    assert!(browser.get(&location(&rolled)).await.1.contains("whsec_"));

    let other = app.add_merchant("B", &Scope::ALL).await;
    user(&app, &other.merchant_id, "b@shop.example").await;
    let b = Browser::sign_in(&app, "b@shop.example", PASSWORD).await.unwrap();
    let b_csrf = b.csrf().await;
    let foreign = b.post("/dashboard/fn/delete_endpoint", &[("csrf", &b_csrf), ("endpoint", &endpoint)]).await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    let (_, b_page) = b.get("/dashboard/webhooks").await;
    assert!(!b_page.contains("127.0.0.1:9/hook"));

    on_endpoint("delete_endpoint").await;
    let (_, page) = browser.get("/dashboard/webhooks").await;
    assert!(!page.contains("127.0.0.1:9/hook"));
}

#[tokio::test]
async fn payment_links_from_the_dashboard_with_their_figures_and_qr_code() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let csrf = browser.csrf().await;
    let refused = browser
        .post("/dashboard/fn/create_link", &[("csrf", &csrf), ("title", "Mug"), ("currency", "EUR"), ("amount", "abc")])
        .await;
    let (_, page) = browser.get(&location(&refused)).await;
    assert!(page.contains("`abc` is not an amount."), "{page}");
    let made = browser
        .post(
            "/dashboard/fn/create_link",
            &[("csrf", &csrf), ("title", "Mug"), ("currency", "EUR"), ("amount", "12.50")],
        )
        .await;
    assert_eq!(location(&made), "/dashboard/links");
    let (_, page) = browser.get("/dashboard/links").await;
    assert!(page.contains("Mug") && page.contains("€12.50") && page.contains("<svg"));
    assert!(page.contains("0 visits · 0 sessions · 0 paid · €0.00 revenue"));
    let (id, slug): (String, String) =
        sqlx::query_as("SELECT id, slug FROM payment_links").fetch_one(app.state.store.reader()).await.unwrap();
    app.client.get(format!("{}/l/{slug}", app.url)).send().await.unwrap();
    app.client.get(format!("{}/l/{slug}", app.url)).send().await.unwrap();
    let pay = |number: &'static str| {
        let form = [
            ("link", slug.clone()),
            ("email", "ada@example.com".into()),
            ("card_number", number.into()),
            ("card_expiry", "12 / 34".into()),
            ("card_cvc", "123".into()),
        ];
        app.client.post(format!("{}/fn/pay", app.url)).form(&form).send()
    };
    pay("4242424242424242").await.unwrap();
    pay("4000000000000002").await.unwrap();
    let (_, page) = browser.get("/dashboard/links").await;
    assert!(page.contains("2 visits · 2 sessions · 1 paid · €12.50 revenue"), "the figures move");
    browser.post("/dashboard/fn/switch_link", &[("csrf", &csrf), ("link", &id)]).await;
    browser.post("/dashboard/fn/rename_link", &[("csrf", &csrf), ("link", &id), ("title", "Big mug")]).await;
    let (_, page) = browser.get("/dashboard/links").await;
    assert!(page.contains("Big mug") && page.contains(">inactive<"));
    let (status, _) = app.page(&format!("/l/{slug}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = app.add_merchant("B", &Scope::ALL).await;
    user(&app, &other.merchant_id, "b@shop.example").await;
    let b = Browser::sign_in(&app, "b@shop.example", PASSWORD).await.unwrap();
    let b_csrf = b.csrf().await;
    assert_eq!(
        b.post("/dashboard/fn/switch_link", &[("csrf", &b_csrf), ("link", &id)]).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, b_page) = b.get("/dashboard/links").await;
    assert!(!b_page.contains("Big mug"));
}

#[tokio::test]
async fn sites_page_sets_the_origins_that_may_embed_the_checkout() {
    let app = TestApp::spawn().await;
    user(&app, &app.merchant_id, "owner@shop.example").await;
    let browser = Browser::sign_in(&app, "owner@shop.example", PASSWORD).await.unwrap();
    let csrf = browser.csrf().await;
    let path = "/dashboard/fn/save_site";
    let site_id = app.site_id.as_str();

    let refused = browser
        .post(
            path,
            &[("csrf", &csrf), ("site", site_id), ("name", "Test Shop"), ("origins", "https://shop.example/cart")],
        )
        .await;
    assert_eq!(location(&refused), "/dashboard/sites");
    assert!(browser.get("/dashboard/sites").await.1.contains("must be an origin only"));
    let forged = browser
        .post(path, &[("csrf", "forged"), ("site", site_id), ("name", "X"), ("origins", "https://evil.example")])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let saved = browser
        .post(
            path,
            &[
                ("csrf", &csrf),
                ("site", site_id),
                ("name", "Espresso Shop"),
                ("display_name", "Espresso & Co"),
                ("logo_url", "https://cdn.espresso.example/logo.svg"),
                ("accent_color", "#0A7"),
                ("origins", "https://shop.example\r\nhttp://127.0.0.1:4010/\r\n"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let site = app.state.store.site_by_id(&app.site_id).await.unwrap().unwrap();
    assert_eq!(site.name, "Espresso Shop");
    assert_eq!(site.origins(), ["https://shop.example", "http://127.0.0.1:4010"]);
    assert_eq!(site.shown_name(), "Espresso & Co");
    assert_eq!(site.logo_url.as_deref(), Some("https://cdn.espresso.example/logo.svg"));
    assert_eq!(site.accent_color.as_deref(), Some("#00aa77"));
    let (_, page) = browser.get("/dashboard/sites").await;
    assert!(page.contains("https://shop.example\nhttp://127.0.0.1:4010"), "the form shows the list");
    assert!(page.contains(r##"value="#00aa77""##) && page.contains("The pay button's text will be #000000"));
    let refused = browser
        .post(
            path,
            &[("csrf", &csrf), ("site", site_id), ("name", "Espresso Shop"), ("accent_color", "teal"), ("origins", "")],
        )
        .await;
    assert!(browser.get(&location(&refused)).await.1.contains("`teal` is not a colour like #2f4fd8"));
    let site = app.state.store.site_by_id(&app.site_id).await.unwrap().unwrap();
    assert_eq!(site.origins().len(), 2, "a refused form changes nothing");
    assert!(page.contains("/widget.js"), "with the snippet to paste");

    let other = app.add_merchant("Other Shop", &Scope::ALL).await;
    let form = [("csrf", csrf.as_str()), ("site", &other.site_id), ("name", "Mine"), ("origins", "")];
    let response = browser.post(path, &form).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "another merchant's site");
}

#[tokio::test]
async fn kept_tab_counts_match_counting_every_session() {
    use server::store::DashboardFilter;
    let app = TestApp::spawn().await;
    let paid_ids = [paid(&app, json!({})).await, paid(&app, json!({})).await, paid(&app, json!({})).await];
    app.post("/v1/refunds").json(&json!({"session_id": paid_ids[0], "amount": 500})).send().await.unwrap();
    app.post("/v1/refunds").json(&json!({"session_id": paid_ids[1], "amount": 2500})).send().await.unwrap();
    let expired = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.post(&format!("/v1/checkout/sessions/{expired}/expire")).send().await.unwrap();
    let cancelled = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.post(&format!("/v1/checkout/sessions/{cancelled}/cancel")).send().await.unwrap();
    let declined = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&declined, "4000000000000002").await;
    app.session(json!({})).await;
    let other = app.add_merchant("Other Shop", &Scope::ALL).await;
    let changing = app.state.store.changing_session(&paid_ids[2]);
    sqlx::query("UPDATE checkout_sessions SET merchant_id = $1 WHERE id = $2")
        .bind(&other.merchant_id)
        .bind(&paid_ids[2])
        .execute(app.state.store.reader())
        .await
        .unwrap();
    changing.finish();

    // Live sessions are counted apart.
    let route = json!({"provider": "stripe", "secret_key": "sk_live_count0123456789", "publishable_key":
        "pk_live_count0123456789", "webhook_secret": "whsec_count0123456789"});
    let put = app.client.put(format!("{}/v1/sites/{}/provider_route", app.url, app.site_id)).bearer_auth(&app.key);
    assert_eq!(put.json(&route).send().await.unwrap().status(), StatusCode::OK);
    let live = app.live_key_with(&Scope::ALL).await;
    for _ in 0..2 {
        let create = app.client.post(format!("{}/v1/checkout/sessions", app.url)).bearer_auth(&live);
        let created = create.json(&json!({"amount": 100, "currency": "EUR"})).send().await.unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
    }

    let store = &app.state.store;
    let live = DashboardFilter { livemode: true, ..Default::default() };
    let live_kept = store.tab_counts(&app.merchant_id, &live).await.unwrap();
    let live_counted =
        store.tab_counts(&app.merchant_id, &DashboardFilter { created_from: Some(0), ..live }).await.unwrap();
    assert_eq!(live_kept, live_counted);
    assert_eq!(live_kept.iter().find(|(tab, _)| *tab == app::views::Tab::All).unwrap().1, 2);
    let kept = store.tab_counts(&app.merchant_id, &DashboardFilter::default()).await.unwrap();
    // Any filter counts the sessions themselves; this one matches them all.
    let everything = DashboardFilter { created_from: Some(0), ..Default::default() };
    let counted = store.tab_counts(&app.merchant_id, &everything).await.unwrap();
    assert_eq!(kept, counted);
    let all = kept.iter().find(|(tab, _)| *tab == app::views::Tab::All).unwrap().1;
    assert_eq!(all, 6, "the session moved to another merchant is counted there: {kept:?}");
    let theirs = store.tab_counts(&other.merchant_id, &DashboardFilter::default()).await.unwrap();
    assert_eq!(theirs, store.tab_counts(&other.merchant_id, &everything).await.unwrap());
}
