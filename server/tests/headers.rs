//! Security headers on every page: a nonce-based Content-Security-Policy on
//! the HTML pages, and the basics on everything.

mod common;

use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn every_page_carries_its_security_headers() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    // A page of every kind a customer can see: the return page, the 3-D
    // Secure step, an expired checkout, a receipt and a payment link.
    let paid = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&paid, "4242424242424242").await;
    let challenged = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let challenge = common::location(&app.pay(&challenged, "4000002760003184").await);
    assert!(challenge.contains("/challenge/"), "{challenge}");
    let expired = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.post(&format!("/v1/checkout/sessions/{expired}/expire")).send().await.unwrap();
    let cancelled = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.post(&format!("/v1/checkout/sessions/{cancelled}/cancel")).send().await.unwrap();
    let token = app.portal_token(&paid).await;
    let link: serde_json::Value = app
        .post_json(
            "/v1/payment_links",
            json!({"title": "Donation", "currency": "EUR", "min_amount": 500, "max_amount": 5000}),
        )
        .await;
    let link_path = link["url"].as_str().unwrap().split("/l/").nth(1).map(|slug| format!("/l/{slug}")).unwrap();
    for path in [
        format!("/pay/{id}"),
        format!("/pay/{paid}/return"),
        challenge,
        format!("/pay/{expired}"),
        format!("/pay/{cancelled}"),
        "/l/plink_unknown".into(),
        format!("/r/{token}"),
        link_path,
        "/pay/cs_unknown".into(),
        format!("/pay/{id}/typo"),
        "/".into(),
        "/dashboard/sign-in".into(),
    ] {
        let response = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
        let headers = response.headers().clone();
        let csp = headers["content-security-policy"].to_str().unwrap().to_string();
        let html = response.text().await.unwrap();
        for part in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "'wasm-unsafe-eval'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce");
        assert!(nonce.len() >= 16);
        for script in html.split("<script").skip(1) {
            // A JSON data block (the card form's data) is never run.
            assert!(
                script.starts_with(&format!(" type=\"module\" nonce=\"{nonce}\""))
                    || script.starts_with(&format!(" nonce=\"{nonce}\""))
                    || script.starts_with(" type=\"application/json\""),
                "{path}: every inline script carries the nonce"
            );
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["cache-control"], "no-store", "{path}: one session's state, now");
        let vary: Vec<&str> = headers.get_all("vary").iter().filter_map(|v| v.to_str().ok()).collect();
        assert!(vary.iter().any(|v| v.eq_ignore_ascii_case("accept-language")), "{path}: {vary:?}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain http");
    }
    let second = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    let first = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    assert_ne!(
        first.headers()["content-security-policy"],
        second.headers()["content-security-policy"],
        "a new nonce per page"
    );
    let api = app.get(&format!("/v1/checkout/sessions/{id}")).send().await.unwrap();
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn https_deployments_send_hsts() {
    let app = TestApp::spawn_with(|c| c.public_url = Some("https://pay.shop.example".into())).await;
    let response = app.client.get(format!("{}/healthz", app.url)).send().await.unwrap();
    assert_eq!(response.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
}

#[tokio::test]
async fn the_page_names_hashed_assets_served_compressed_and_cached_for_a_year() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let (_, html) = app.page(&format!("/pay/{id}")).await;
    // Every name the page gives under /pkg/, up to the quote that ends it.
    let named: Vec<&str> =
        html.match_indices("/pkg/kassa.").map(|(at, _)| html[at..].split(['"', '\'']).next().unwrap()).collect();
    for ext in ["css", "js", "wasm"] {
        let path =
            named.iter().find(|p| p.ends_with(&format!(".{ext}"))).unwrap_or_else(|| panic!("no .{ext}: {named:?}"));
        let hash = path.trim_start_matches("/pkg/kassa.").trim_end_matches(&format!(".{ext}"));
        assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{path}");
        let response =
            app.client.get(format!("{}{path}", app.url)).header("accept-encoding", "br").send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable", "{path}");
        assert_eq!(response.headers()["content-encoding"], "br", "{path}");
    }
    let stale = app.client.get(format!("{}/pkg/kassa.0123456789abcdef.js", app.url)).send().await.unwrap();
    assert_eq!(stale.status(), 404, "a name from another build is not served");
    let widget = app.client.get(format!("{}/widget.js", app.url)).send().await.unwrap();
    assert_eq!(widget.headers()["cache-control"], "public, max-age=300", "merchants' pages name it without a hash");
    let watch = app.client.get(format!("{}/return.js", app.url)).send().await.unwrap();
    assert_eq!(watch.headers()["cache-control"], "public, max-age=300", "the return page names it without a hash");
}

#[tokio::test]
async fn a_checkout_naming_the_customer_is_kept_from_search_engines() {
    let app = TestApp::spawn().await;
    let anonymous = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let named = app.session(json!({"customer_email": "ada@example.com"})).await["id"].as_str().unwrap().to_string();
    let noindex = r#"<meta name="robots" content="noindex">"#;
    let (_, html) = app.page(&format!("/pay/{anonymous}")).await;
    assert!(!html.contains(noindex) && html.contains(r#"<meta name="description""#));
    let (_, html) = app.page(&format!("/pay/{named}")).await;
    assert!(html.contains(noindex) && html.contains("ada@example.com"));
}

/// A form posted the way a browser does, with the headers that say where from.
async fn post_form(app: &TestApp, path: &str, from: &[(&str, &str)], form: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.post(format!("{}{path}", app.url)).form(form);
    for (name, value) in from {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_customers_forms_refuse_posts_from_other_sites() {
    let app = TestApp::spawn().await;
    let card = [
        ("email", "ada@example.com"),
        ("card_number", "4242424242424242"),
        ("card_expiry", "12 / 34"),
        ("card_cvc", "123"),
    ];
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let elsewhere: [&[(&str, &str)]; 3] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example")],
    ];
    for from in elsewhere {
        for path in ["/fn/pay", "/embed/fn/pay"] {
            let card = [[("session", id.as_str())].as_slice(), &card].concat();
            let response = post_form(&app, path, from, &card).await;
            assert_eq!(response.status(), 403, "{path} from {from:?}");
            let text = response.text().await.unwrap();
            assert!(text.contains("from another website"), "{text}");
        }
    }
    let untouched = app.retrieve(&id).await;
    assert_eq!((untouched["status"].as_str(), untouched["outcome"].as_str()), (Some("open"), Some("not_started")));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1", &id).await, 0);

    // The 3-D Secure answer and a payment link's amount are forms too.
    let challenged = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let challenge = common::location(&app.pay(&challenged, "4000002760003184").await);
    let attempt = challenge.rsplit('/').next().unwrap();
    let approve = [("session", challenged.as_str()), ("attempt", attempt), ("decision", "approve")];
    assert_eq!(post_form(&app, "/fn/answer", &[("sec-fetch-site", "cross-site")], &approve).await.status(), 403);
    assert_eq!(app.retrieve(&challenged).await["outcome"], "pending", "the challenge still waits for the customer");
    let link = app
        .post_json(
            "/v1/payment_links",
            json!({"title": "Donation", "currency": "EUR", "min_amount": 500, "max_amount": 5000}),
        )
        .await;
    let slug = link["url"].as_str().unwrap().rsplit("/l/").next().unwrap().to_string();
    let choice = [("link", slug.as_str()), ("amount", "10.00")];
    let chosen = post_form(&app, "/fn/choose", &[("origin", "https://evil.example")], &choice).await;
    assert_eq!(chosen.status(), 403);

    // The customer's own browser, on Kassa's page, is let through: by Fetch
    // Metadata, by an Origin of this host, or (the challenge) saying nothing.
    for from in [("sec-fetch-site", "same-origin"), ("origin", app.url.as_str())] {
        let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
        let card = [[("session", id.as_str())].as_slice(), &card].concat();
        assert_eq!(post_form(&app, "/fn/pay", &[from], &card).await.status(), 303, "{from:?}");
        assert_eq!(app.retrieve(&id).await["outcome"], "paid", "{from:?}");
    }
    assert_eq!(post_form(&app, "/fn/answer", &[], &approve).await.status(), 303);
    assert_eq!(app.retrieve(&challenged).await["outcome"], "paid");
}
