//! Saved payment methods and series on the sandbox (seed 002): a
//! `first_in_series` session saves the customer's card, `next_in_series`
//! sessions charge it at once without the customer and complete paid or
//! unpaid (never left open), methods are listed and detached per customer,
//! and a key reaches its own merchant's and mode's only.

mod common;

use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::Scope;
use std::time::Duration;

/// A `first_in_series` session for `customer`, paid with `number` (the
/// sandbox's challenge passed when it asks): the method it saved.
async fn saved_card(app: &TestApp, customer: &str, number: &str, amount: i64) -> String {
    let first = app.session(json!({"sequence": "first_in_series", "customer_id": customer, "amount": amount})).await;
    let id = first["id"].as_str().unwrap();
    if amount == 0 {
        // Nothing is charged, and the page says so.
        let (_, page) = app.page(&format!("/pay/{id}")).await;
        assert!(page.contains("Save your card") && page.contains("Save card") && !page.contains("Pay €0.00"), "{page}");
    }
    let paid = app.pay(id, number).await;
    let to = location(&paid);
    if to.contains("/challenge/") {
        app.answer(&to, "approve").await;
    }
    let now = app.retrieve(id).await;
    let outcome = if amount == 0 { "payment_method_verified" } else { "paid" };
    assert_eq!((now["status"].as_str(), now["outcome"].as_str()), (Some("complete"), Some(outcome)), "{now}");
    assert_eq!(now["customer_id"], customer);
    assert_eq!(now["save_payment_method"], true);
    now["payment_method"].as_str().expect("the card was saved").to_string()
}

async fn next_in_series(app: &TestApp, method: &str, amount: i64) -> reqwest::Response {
    app.create(json!({"sequence": "next_in_series", "payment_method": method, "amount": amount, "currency": "EUR"}))
        .await
}

async fn methods_of(app: &TestApp, customer: &str) -> Vec<Value> {
    let response = app.get(&format!("/v1/customers/{customer}/payment_methods")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_saved_card_pays_the_next_in_series_at_once_without_the_customer() {
    let app = TestApp::spawn().await;
    let method = saved_card(&app, "cus-ada", "4242424242424242", 2500).await;
    let listed = methods_of(&app, "cus-ada").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], method.as_str());
    assert_eq!(listed[0]["card"], json!({"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2034}));
    assert!(methods_of(&app, "cus-bob").await.is_empty());
    assert!(!app.everything_stored().await.contains("4242424242424242"), "never the number");

    // Paid at once, in the create's answer: no page, no customer.
    let created = next_in_series(&app, &method, 1999).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let session: Value = created.json().await.unwrap();
    assert_eq!(
        (session["status"].as_str(), session["outcome"].as_str()),
        (Some("complete"), Some("paid")),
        "{session}"
    );
    assert_eq!(session["customer_id"], "cus-ada", "the method's customer");
    assert_eq!(session["payment_method"], method.as_str());
    assert!(session["payment_id"].as_str().is_some_and(|p| p.starts_with("pay_")));
    let id = session["id"].as_str().unwrap();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1", id).await, 1);
    assert_eq!(app.status_api(id).await["data"]["outcome"], "Succeeded");
    // It can be refunded like any payment.
    let refund = app.post("/v1/refunds").json(&json!({"session_id": id, "amount": 999})).send().await.unwrap();
    assert_eq!(refund.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_series_payment_the_bank_refuses_completes_unpaid_never_open() {
    let app = TestApp::spawn().await;
    // The bank wants the customer (3-D Secure) for this card: nobody is there.
    let challenged = saved_card(&app, "cus-ada", "4000002760003184", 2500).await;
    let session: Value = next_in_series(&app, &challenged, 1000).await.json().await.unwrap();
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("complete"), Some("unpaid")));
    assert_eq!(session["last_failure"]["code"], "authentication_required");
    assert_eq!(app.status_api(session["id"].as_str().unwrap()).await["data"]["outcome"], "Failed");
    // Verified without a charge (amount 0), then every charge is declined.
    let declining = saved_card(&app, "cus-bob", "4000000000000341", 0).await;
    let session: Value = next_in_series(&app, &declining, 1000).await.json().await.unwrap();
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("complete"), Some("unpaid")));
    assert_eq!(session["last_failure"]["code"], "card_declined");
    // A one-time payment with that card is declined too; nothing is saved by it.
    let once = app.session(json!({"customer_id": "cus-bob"})).await;
    app.pay(once["id"].as_str().unwrap(), "4000000000000341").await;
    assert_eq!(app.retrieve(once["id"].as_str().unwrap()).await["outcome"], "unpaid");
    assert_eq!(methods_of(&app, "cus-bob").await.len(), 1);
}

#[tokio::test]
async fn a_detached_card_is_charged_no_more_and_others_cannot_reach_it() {
    let app = TestApp::spawn().await;
    let method = saved_card(&app, "cus-ada", "4242424242424242", 2500).await;
    // Another merchant's key, and this merchant's live key, do not find it.
    let other = app.key_with(&Scope::ALL).await;
    let stranger = app.add_merchant("Other Shop", &Scope::ALL).await;
    for key in [stranger.key.as_str()] {
        let read = app.client.get(format!("{}/v1/payment_methods/{method}", app.url)).bearer_auth(key);
        assert_eq!(read.send().await.unwrap().status(), StatusCode::NOT_FOUND);
        let detach = app.client.post(format!("{}/v1/payment_methods/{method}/detach", app.url)).bearer_auth(key);
        assert_eq!(detach.send().await.unwrap().status(), StatusCode::NOT_FOUND);
        let charge =
            app.client.post(format!("{}/v1/checkout/sessions", app.url)).bearer_auth(key).json(
                &json!({"sequence": "next_in_series", "payment_method": method, "amount": 100, "currency": "EUR"}),
            );
        assert_eq!(charge.send().await.unwrap().status(), StatusCode::NOT_FOUND);
        let list = app.client.get(format!("{}/v1/customers/cus-ada/payment_methods", app.url)).bearer_auth(key);
        assert_eq!(list.send().await.unwrap().json::<Vec<Value>>().await.unwrap().len(), 0);
    }
    let mine = app.client.get(format!("{}/v1/payment_methods/{method}", app.url)).bearer_auth(&other);
    assert_eq!(mine.send().await.unwrap().status(), StatusCode::OK, "the same merchant's other test key");

    let detached: Value =
        app.post(&format!("/v1/payment_methods/{method}/detach")).send().await.unwrap().json().await.unwrap();
    assert!(detached["detached_at"].is_string(), "{detached}");
    let again = app.post(&format!("/v1/payment_methods/{method}/detach")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "detaching twice changes nothing");
    assert!(methods_of(&app, "cus-ada").await.is_empty());
    let refused = next_in_series(&app, &method, 100).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payment_method_detached", "{body}");
    let first = app.scalar("SELECT COUNT(*) FROM events WHERE type = $1", "payment_method.detached").await;
    assert_eq!(first, 1);
}

#[tokio::test]
async fn series_requests_say_what_to_fix() {
    let app = TestApp::spawn().await;
    let method = saved_card(&app, "cus-ada", "4242424242424242", 2500).await;
    for (body, param, code) in [
        (json!({"sequence": "first_in_series"}), "customer_id", "customer_required"),
        (json!({"save_payment_method": true}), "customer_id", "customer_required"),
        (json!({"sequence": "next_in_series"}), "payment_method", "payment_method_required"),
        (json!({"payment_method": method}), "payment_method", "parameter_invalid"),
        (json!({"sequence": "next_in_series", "payment_method": method, "amount": 0}), "amount", "amount_invalid"),
        (
            json!({"sequence": "next_in_series", "payment_method": method, "customer_id": "cus-bob"}),
            "customer_id",
            "customer_mismatch",
        ),
        (json!({"sequence": "next_in_series", "payment_method": "pm_nothing"}), "payment_method", "resource_missing"),
    ] {
        let mut full = json!({"amount": 500, "currency": "EUR"});
        full.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
        let response = app.create(full.clone()).await;
        assert!(response.status().is_client_error(), "{full}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(
            (answer["error"]["param"].as_str(), answer["error"]["code"].as_str()),
            (Some(param), Some(code)),
            "{full}: {answer}"
        );
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM checkout_sessions WHERE sequence = $1", "next_in_series").await, 0);
}

#[tokio::test]
async fn a_series_session_left_uncharged_by_a_dying_process_is_charged_by_the_worker() {
    let app = TestApp::spawn().await;
    let method = saved_card(&app, "cus-ada", "4242424242424242", 2500).await;
    // Made as the API makes it, but the process died before charging it.
    let request = serde_json::from_value(
        json!({"sequence": "next_in_series", "payment_method": method, "customer_id": "cus-ada", "amount": 700, "currency": "EUR"}),
    )
    .unwrap();
    let route = server::new_session::Route::sandbox(app.site_id.clone());
    let new = server::new_session::validate(request, &app.merchant_id, route).unwrap();
    let made = app.state.store.create_session(new).await.unwrap();
    assert_eq!(app.retrieve(&made.id).await["outcome"], "not_started");
    let changing = app.state.store.changing_session(&made.id);
    sqlx::query("UPDATE checkout_sessions SET created_at = created_at - 60000 WHERE id = $1")
        .bind(&made.id)
        .execute(app.state.store.reader())
        .await
        .unwrap();
    changing.finish();
    let mut now = Value::Null;
    for _ in 0..50 {
        now = app.retrieve(&made.id).await;
        if now["status"] == "complete" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!((now["status"].as_str(), now["outcome"].as_str()), (Some("complete"), Some("paid")), "{now}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1", &made.id).await,
        1,
        "charged once"
    );
}

#[tokio::test]
async fn the_customer_removes_their_saved_card_from_the_receipt_page() {
    let app = TestApp::spawn().await;
    let method = saved_card(&app, "cus-ada", "4242424242424242", 2500).await;
    let saving = app.get(&format!("/v1/payment_methods/{method}")).send().await.unwrap().json::<Value>().await.unwrap();
    let token = app.portal_token(saving["session_id"].as_str().unwrap()).await;
    let (status, page) = app.page(&format!("/r/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Visa •••• 4242 is saved for later payments to this shop."), "{page}");
    assert!(page.contains(&format!(r#"name="method" value="{method}""#)));
    // Another receipt's link removes nothing of this one.
    let other = app.session(json!({})).await;
    app.pay(other["id"].as_str().unwrap(), "4242424242424242").await;
    let other_token = app.portal_token(other["id"].as_str().unwrap()).await;
    let refused =
        app.submit("/fn/forget_card", &[("receipt", other_token.as_str()), ("method", method.as_str())]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(methods_of(&app, "cus-ada").await.len(), 1);

    let removed = app.submit("/fn/forget_card", &[("receipt", token.as_str()), ("method", method.as_str())]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&removed), format!("/r/{token}"));
    let (_, page) = app.page(&format!("/r/{token}")).await;
    assert!(page.contains("Visa •••• 4242 was removed on") && !page.contains(r#"name="method""#), "{page}");
    assert!(methods_of(&app, "cus-ada").await.is_empty());
    let refused = next_in_series(&app, &method, 100).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let by: String = sqlx::query_scalar("SELECT data FROM events WHERE type = 'payment_method.detached'")
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    assert!(by.contains(r#""detached_by":"customer""#), "{by}");
}
