//! Payment links: a visit makes nothing, the first post makes the session;
//! amounts within bounds; sessions limited per address.

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

/// The fixed-price link's card form posted (to the `pay` server function).
async fn pay_link(app: &TestApp, path: &str, number: &str) -> reqwest::Response {
    let slug = path.trim_start_matches("/l/");
    let form = [
        ("link", slug),
        ("email", "ada@example.com"),
        ("card_number", number),
        ("card_expiry", "12 / 34"),
        ("card_cvc", "123"),
    ];
    app.submit("/fn/pay", &form).await
}

/// A link's amount and quantity posted (to `choose_on_link`).
async fn choose(app: &TestApp, path: &str, amount: &str, quantity: &str) -> reqwest::Response {
    let slug = path.trim_start_matches("/l/");
    app.submit("/fn/choose", &[("link", slug), ("amount", amount), ("quantity", quantity)]).await
}

/// A refused post goes back to the link's page, which says why.
async fn refused_with(app: &TestApp, response: reqwest::Response, path: &str) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), path);
    let (status, page) = app.page(path).await;
    assert_eq!(status, StatusCode::OK);
    page
}

#[tokio::test]
async fn a_visit_makes_no_session_and_the_first_post_makes_and_pays_one() {
    let app = TestApp::spawn().await;
    let created =
        link(&app, json!({"title": "Gift card", "currency": "EUR", "amount": 2500, "metadata": {"campaign": "xmas"}}))
            .await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("plink_"));
    let path = path_of(created["url"].as_str().unwrap());
    let sessions = || app.scalar("SELECT COUNT(*) FROM checkout_sessions WHERE payment_link_id = $1", id);

    // The card form at once, posting to the `pay` server function with the
    // link's slug; a crawler's visit is not even counted.
    let (status, page) = app.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    let slug = path.trim_start_matches("/l/");
    assert!(page.contains(r#"action="/fn/pay""#) && page.contains(r#"name="card_number""#), "{page}");
    assert!(page.contains(&format!(r#"name="link" value="{slug}""#)), "{page}");
    assert!(page.contains("€25.00"));
    let crawler = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    let url = format!("{}{path}", app.url);
    let crawled = app.client.get(&url).header("user-agent", crawler).send().await.unwrap();
    assert_eq!(crawled.status(), StatusCode::OK);
    assert_eq!(sessions().await, 0, "visits make no session");
    assert_eq!(app.scalar("SELECT visits FROM payment_links WHERE id = $1", id).await, 1, "the crawler is not counted");

    // A form with mistakes comes back with the email kept, no card echoed, no session made.
    let refused = pay_link(&app, &path, "4242 4242").await;
    let page = refused_with(&app, refused, &path).await;
    assert!(page.contains("ada@example.com") && page.contains("Your card number is incomplete"), "{page}");
    assert!(!page.contains("4242 4242") && !app.everything_stored().await.contains("4242 4242"));
    assert_eq!(sessions().await, 0);

    // Paying makes the session and pays it; another payment, another session.
    let paid = pay_link(&app, &path, "4242 4242 4242 4242").await;
    let to = location(&paid);
    assert!(to.starts_with("/pay/cs_") && to.ends_with("/return"), "{to}");
    let a = app.retrieve(&to["/pay/".len()..to.len() - "/return".len()]).await;
    assert_eq!((a["status"].as_str(), a["outcome"].as_str()), (Some("complete"), Some("paid")));
    assert_eq!((a["source"].as_str(), a["amount"].as_i64()), (Some("payment_link"), Some(2500)));
    assert_eq!(a["metadata"], json!({"campaign": "xmas"}));
    assert_eq!(a["payment_link_id"], created["id"]);
    assert_eq!(a["line_items"][0]["name"], "Gift card");
    let again = pay_link(&app, &path, "4242 4242 4242 4242").await;
    assert_ne!(location(&again), to, "a fresh session each payment");
    assert_eq!(sessions().await, 2);
}

#[tokio::test]
async fn sessions_made_through_links_are_limited_per_address() {
    let app = TestApp::spawn_with(|c| c.limits.link_sessions_per_hour = 3).await;
    let fixed = link(&app, json!({"title": "Tea", "currency": "EUR", "amount": 900})).await;
    let chosen = link(&app, json!({"title": "Tip", "currency": "EUR", "min_amount": 100, "max_amount": 1000})).await;
    let (fixed, chosen) = (path_of(fixed["url"].as_str().unwrap()), path_of(chosen["url"].as_str().unwrap()));
    let declining = "4000 0000 0000 0002";
    for _ in 0..2 {
        let declined = pay_link(&app, &fixed, declining).await;
        assert!(location(&declined).starts_with("/pay/cs_"));
    }
    let third = choose(&app, &chosen, "5.00", "").await;
    assert!(location(&third).starts_with("/pay/cs_"), "the limit counts both kinds of link");

    let page = refused_with(&app, pay_link(&app, &fixed, declining).await, &fixed).await;
    assert!(page.contains("Too many checkouts were started from your network."), "{page}");
    assert!(page.contains("ada@example.com"), "the email is kept");
    let page = refused_with(&app, choose(&app, &chosen, "5.00", "").await, &chosen).await;
    assert!(page.contains("Too many checkouts were started from your network."), "{page}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM checkout_sessions WHERE merchant_id = $1", &app.merchant_id).await, 3);
    // Looking is still free.
    assert_eq!(app.page(&fixed).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_customer_chosen_amount_must_be_within_the_bounds() {
    let app = TestApp::spawn().await;
    let created = link(&app, json!({"title": "Donation", "currency": "EUR", "min_amount": 500, "max_amount": 10000, "adjustable_quantity": true, "max_quantity": 5})).await;
    let path = path_of(created["url"].as_str().unwrap());
    let (status, page) = app.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Between €5.00 and €100.00") && page.contains("Quantity"));
    for (amount, quantity, message) in [
        ("3.00", "1", "Choose an amount between €5.00 and €100.00."),
        ("abc", "1", "Enter an amount like 5.00."),
        ("10", "9", "Choose a quantity from 1 to 5."),
    ] {
        let page = refused_with(&app, choose(&app, &path, amount, quantity).await, &path).await;
        assert!(page.contains(message), "{amount} {quantity}: {page}");
        assert!(page.contains(&format!(r#"value="{amount}""#)), "the amount typed is kept: {page}");
    }
    let accepted = choose(&app, &path, "12.50", "2").await;
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
    let path = format!("/l/{}", link.slug);
    let page = refused_with(&app, choose(&app, &path, "", "2").await, &path).await;
    assert!(page.contains("Choose a quantity from 1 to 1."), "{page}");
    let one = choose(&app, &path, "", "1").await;
    assert_eq!(session_behind(&app, &one).await["amount"], max / 2 + 1);
}
