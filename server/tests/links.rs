//! Payment links: every visit a fresh session, amounts within bounds.

mod common;

use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::Scope;

async fn link(app: &TestApp, body: Value) -> Value {
    let response = app.post("/v1/payment_links").json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn path_of(url: &str) -> String {
    url[url.find("/l/").unwrap()..].to_string()
}

async fn session_behind(app: &TestApp, response: &reqwest::Response) -> Value {
    let to = location(response);
    assert!(to.starts_with("/pay/cs_"), "{to}");
    app.retrieve(&to["/pay/".len()..]).await
}

#[tokio::test]
async fn a_fixed_link_makes_a_fresh_session_per_visit() {
    let app = TestApp::spawn().await;
    let created =
        link(&app, json!({"title": "Gift card", "currency": "EUR", "amount": 2500, "metadata": {"campaign": "xmas"}}))
            .await;
    assert!(created["id"].as_str().unwrap().starts_with("plink_"));
    let path = path_of(created["url"].as_str().unwrap());
    let first = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
    let second = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
    let (a, b) = (session_behind(&app, &first).await, session_behind(&app, &second).await);
    assert_ne!(a["id"], b["id"], "a fresh session each visit");
    assert_eq!((a["source"].as_str(), a["amount"].as_i64()), (Some("payment_link"), Some(2500)));
    assert_eq!(a["metadata"], json!({"campaign": "xmas"}));
    assert_eq!(a["payment_link_id"], created["id"]);
    assert_eq!(a["line_items"][0]["name"], "Gift card");
}

#[tokio::test]
async fn a_customer_chosen_amount_must_be_within_the_bounds() {
    let app = TestApp::spawn().await;
    let created = link(&app, json!({"title": "Donation", "currency": "EUR", "min_amount": 500, "max_amount": 10000, "adjustable_quantity": true, "max_quantity": 5})).await;
    let path = path_of(created["url"].as_str().unwrap());
    let (status, page) = app.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Between €5.00 and €100.00") && page.contains("Quantity"));
    let post = |amount: &'static str, quantity: &'static str| {
        app.client.post(format!("{}{path}", app.url)).form(&[("amount", amount), ("quantity", quantity)]).send()
    };
    for (amount, quantity, message) in [
        ("3.00", "1", "Choose an amount between €5.00 and €100.00."),
        ("abc", "1", "Enter an amount like 5.00."),
        ("10", "9", "Choose a quantity from 1 to 5."),
    ] {
        let refused = post(amount, quantity).await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains(message), "{amount} {quantity}");
    }
    let accepted = post("12.50", "2").await.unwrap();
    let session = session_behind(&app, &accepted).await;
    assert_eq!(session["amount"], 2500);
    assert_eq!(session["line_items"][0]["quantity"], 2);
    let sessions = app
        .scalar("SELECT COUNT(*) FROM checkout_sessions WHERE payment_link_id = $1", created["id"].as_str().unwrap())
        .await;
    assert_eq!(sessions, 1, "refused forms made no session");
}

#[tokio::test]
async fn inactive_and_unknown_links_get_a_clear_page() {
    let app = TestApp::spawn().await;
    let created = link(&app, json!({"title": "Tea", "currency": "EUR", "amount": 900})).await;
    let id = created["id"].as_str().unwrap();
    let off: Value =
        app.post_json(&format!("/v1/payment_links/{id}"), json!({"active": false, "title": "Green tea"})).await;
    assert_eq!((off["active"].as_bool(), off["title"].as_str()), (Some(false), Some("Green tea")));
    for path in [path_of(created["url"].as_str().unwrap()), "/l/nope".to_string()] {
        let (status, page) = app.page(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains("This payment link is not available"));
    }
    let other = app.add_merchant("Other", &Scope::ALL).await;
    let foreign =
        app.client.get(format!("{}/v1/payment_links/{id}", app.url)).bearer_auth(&other.key).send().await.unwrap();
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_links_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    for (body, param) in [
        (json!({"title": "", "currency": "EUR", "amount": 1}), "title"),
        (json!({"title": "X", "currency": "EUR"}), "amount"),
        (json!({"title": "X", "currency": "EUR", "amount": 0}), "amount"),
        (json!({"title": "X", "currency": "EUR", "min_amount": 500, "max_amount": 100}), "min_amount"),
        (json!({"title": "X", "currency": "XXX", "amount": 1}), "currency"),
        (json!({"title": "X", "currency": "EUR", "amount": 1, "success_url": "javascript:x"}), "success_url"),
    ] {
        let response = app.post("/v1/payment_links").json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(response.json::<Value>().await.unwrap()["error"]["param"], param, "{body}");
    }
}

#[tokio::test]
async fn a_link_cannot_sell_more_than_the_largest_amount() {
    let app = TestApp::spawn().await;
    let max = server::new_session::MAX_AMOUNT;
    let too_much = json!({"title": "Gold", "currency": "EUR", "amount": max / 2 + 1, "adjustable_quantity": true,
        "max_quantity": 2});
    let response = app.post("/v1/payment_links").json(&too_much).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["param"], "max_quantity", "{body}");
    let chosen = json!({"title": "Gold", "currency": "EUR", "min_amount": 100, "max_amount": max,
        "adjustable_quantity": true});
    let response = app.post("/v1/payment_links").json(&chosen).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "ten of the largest amount");
    let fine = json!({"title": "Gold", "currency": "EUR", "amount": max / 2, "adjustable_quantity": true,
        "max_quantity": 2});
    assert_eq!(app.post("/v1/payment_links").json(&fine).send().await.unwrap().status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_link_made_before_the_check_still_cannot_sell_more_than_the_largest_amount() {
    let app = TestApp::spawn().await;
    let max = server::new_session::MAX_AMOUNT;
    let old = server::store::NewLink {
        site_id: app.site_id.clone(),
        title: "Gold".into(),
        currency: "EUR".into(),
        amount: Some(max / 2 + 1),
        min_amount: None,
        max_amount: None,
        adjustable_quantity: true,
        max_quantity: 10,
        metadata: json!({}),
        success_url: None,
    };
    let link = app.state.store.create_link(&app.merchant_id, &old).await.unwrap();
    let post = |quantity: &'static str| {
        app.client.post(format!("{}/l/{}", app.url, link.slug)).form(&[("quantity", quantity)]).send()
    };
    let refused = post("2").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Choose a quantity from 1 to 1."));
    let one = post("1").await.unwrap();
    assert_eq!(session_behind(&app, &one).await["amount"], max / 2 + 1);
}
