//! The widget's side of the server: sites and their embedding origins, the
//! `/embed/...` pages framed only by those origins, and the widget's files.

mod common;

use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn set_origins(app: &TestApp, origins: Value) -> reqwest::Response {
    app.post(&format!("/v1/sites/{}", app.site_id)).json(&json!({ "allowed_origins": origins })).send().await.unwrap()
}

async fn headers_of(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, String) {
    let response = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    (response.headers().clone(), response.text().await.unwrap())
}

fn csp(headers: &reqwest::header::HeaderMap) -> String {
    headers["content-security-policy"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn sites_take_exact_origins_only() {
    let app = TestApp::spawn().await;
    let response =
        set_origins(&app, json!(["https://Shop.Example/", "http://127.0.0.1:4010", "https://shop.example"])).await;
    assert_eq!(response.status(), StatusCode::OK);
    let site: Value = response.json().await.unwrap();
    assert_eq!(site["allowed_origins"], json!(["https://shop.example", "http://127.0.0.1:4010"]));

    for (bad, why) in [("https://shop.example/cart", "without a path"), ("shop.example", "not a web origin")] {
        let response = set_origins(&app, json!([bad])).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["param"], "allowed_origins");
        assert!(body["error"]["message"].as_str().unwrap().contains(why), "{body}");
    }
    let listed: Value = app.get("/v1/sites").send().await.unwrap().json().await.unwrap();
    assert_eq!(
        listed[0]["allowed_origins"],
        json!(["https://shop.example", "http://127.0.0.1:4010"]),
        "refusals changed nothing"
    );

    let other = app.add_merchant("Other Shop", &server::store::Scope::ALL).await;
    let response =
        app.post(&format!("/v1/sites/{}", other.site_id)).json(&json!({"name": "Mine"})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "another merchant's site");
    let readonly = app.key_with(&[server::store::Scope::SessionsRead]).await;
    let response = app
        .client
        .post(format!("{}/v1/sites/{}", app.url, app.site_id))
        .bearer_auth(readonly)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn embedded_checkout_is_framed_only_by_listed_origins() {
    let app = TestApp::spawn().await;
    let session = app.session(json!({"cancel_url": "https://shop.example/cart"})).await;
    let id = session["id"].as_str().unwrap();

    // No origins listed: nobody may frame it.
    let (headers, _) = headers_of(&app, &format!("/embed/pay/{id}")).await;
    assert!(csp(&headers).contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-frame-options"], "DENY");

    set_origins(&app, json!(["http://127.0.0.1:4010", "https://shop.example"])).await;
    let (headers, html) = headers_of(&app, &format!("/embed/pay/{id}")).await;
    assert!(csp(&headers).contains("frame-ancestors http://127.0.0.1:4010 https://shop.example;"), "{}", csp(&headers));
    assert!(headers.get("x-frame-options").is_none(), "XFO would refuse the listed origins");
    assert!(html.contains(r#"data-kassa-origins="http://127.0.0.1:4010 https://shop.example""#));
    assert!(html.contains(r#"data-kassa-state="open""#));
    assert!(html.contains(r#"action="/embed/fn/pay""#), "the form stays in the frame");
    assert!(html.contains(r#"<script src="/embed.js""#));
    assert!(!html.contains("shop.example/cart"), "no links away from the frame");

    // The hosted page is still framed by nobody.
    let (headers, _) = headers_of(&app, &format!("/pay/{id}")).await;
    assert!(csp(&headers).contains("frame-ancestors 'none'"));

    // A decline stays in the frame and says so; so does the payment.
    let card = |number| {
        [
            ("session", id),
            ("email", "ada@example.com"),
            ("card_number", number),
            ("card_expiry", "12 / 34"),
            ("card_cvc", "123"),
        ]
    };
    let declined = app.submit("/embed/fn/pay", &card("4000 0000 0000 0002")).await;
    assert_eq!(location(&declined), format!("/embed/pay/{id}"));
    let (_, html) = headers_of(&app, &format!("/embed/pay/{id}")).await;
    assert!(html.contains(r#"data-kassa-state="failed""#) && html.contains("data-kassa-reason="));
    let paid = app.submit("/embed/fn/pay", &card("4242 4242 4242 4242")).await;
    assert_eq!(location(&paid), format!("/embed/pay/{id}/return"));
    let (headers, html) = headers_of(&app, &format!("/embed/pay/{id}/return")).await;
    assert!(csp(&headers).contains("frame-ancestors http://127.0.0.1:4010"));
    assert!(html.contains(r#"data-kassa-state="paid""#));
    assert!(!html.contains("http-equiv=\"refresh\""), "the frame does not leave for the success URL");
    assert_eq!(app.retrieve(id).await["outcome"], "paid");
}

#[tokio::test]
async fn a_link_embeds_and_unknown_pages_are_not_framed() {
    let app = TestApp::spawn().await;
    set_origins(&app, json!(["https://shop.example"])).await;
    let link: Value =
        app.post_json("/v1/payment_links", json!({"title": "Gift card", "currency": "EUR", "amount": 1500})).await;
    let path = format!("/embed/l/{}", link["id"].as_str().unwrap());
    let (headers, page) = headers_of(&app, &path).await;
    assert!(csp(&headers).contains("frame-ancestors https://shop.example;"));
    let slug = link["url"].as_str().unwrap().rsplit("/l/").next().unwrap();
    assert!(page.contains(r#"action="/embed/fn/pay""#), "the card form pays through the link, framed: {page}");
    assert!(page.contains(&format!(r#"name="link" value="{slug}""#)), "{page}");
    let form = [
        ("link", slug),
        ("email", "ada@example.com"),
        ("card_number", "4242424242424242"),
        ("card_expiry", "12 / 34"),
        ("card_cvc", "123"),
    ];
    let paid = app.submit("/embed/fn/pay", &form).await;
    let to = location(&paid);
    assert!(to.starts_with("/embed/pay/cs_") && to.ends_with("/return"), "{to}");
    let (headers, _) = headers_of(&app, &to).await;
    assert!(csp(&headers).contains("frame-ancestors https://shop.example;"));

    let response = app.client.get(format!("{}/embed/pay/cs_unknown", app.url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn the_widget_files_are_served() {
    let app = TestApp::spawn().await;
    for file in ["/widget.js", "/embed.js"] {
        let response = app.client.get(format!("{}{file}", app.url)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        assert!(response.headers()["content-type"].to_str().unwrap().contains("javascript"), "{file}");
        assert!(response.text().await.unwrap().contains("postMessage"), "{file}");
    }
    // The widget speaks the customer's language with words from the Fluent files.
    let widget = app.client.get(format!("{}/widget.js", app.url)).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(widget.headers()["content-encoding"], "br");
    assert_eq!(widget.headers()["cache-control"], "public, max-age=300");
    let text = app.client.get(format!("{}/widget.js", app.url)).send().await.unwrap().text().await.unwrap();
    for words in ["\"de\":[\"Der Bezahlvorgang", "Jetzt kaufen", "Nu kopen", "Abrir el pago seguro", "Fermer"] {
        assert!(text.contains(words), "{words}");
    }
    assert!(!text.contains("/*words*/"));
}
