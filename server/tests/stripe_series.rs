//! Saved cards and series through Stripe (localstripe): a live
//! `first_in_series` session keeps the card on a Stripe customer, an
//! `amount: 0` one verifies it through a SetupIntent, `next_in_series`
//! sessions are charged off-session at once, and detaching removes the card
//! at Stripe.

mod common;

use common::stripe::*;
use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// A live `first_in_series` session of `amount` paid with `number`: the session as it ended.
async fn first(app: &TestApp, live: &str, customer: &str, amount: i64, number: &str) -> Value {
    let session =
        live_session(app, live, json!({"sequence": "first_in_series", "customer_id": customer, "amount": amount}))
            .await;
    let id = session["id"].as_str().unwrap();
    let paid = pay_token(app, id, number).await;
    assert_eq!(location(&paid), format!("/pay/{id}/return"));
    retrieve(app, live, id).await
}

async fn next(app: &TestApp, live: &str, method: &str, amount: i64) -> Value {
    let response = app
        .client
        .post(format!("{}/v1/checkout/sessions", app.url))
        .bearer_auth(live)
        .json(&json!({"sequence": "next_in_series", "payment_method": method, "amount": amount, "currency": "EUR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// The Stripe customer and card Kassa keeps for a saved method.
async fn kept_at_stripe(app: &TestApp, method: &str) -> (String, String) {
    let data: String = sqlx::query_scalar("SELECT provider_data FROM payment_methods WHERE id = $1")
        .bind(method)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    let data: Value = serde_json::from_str(&data).unwrap();
    (data["customer"].as_str().unwrap().to_string(), data["payment_method"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_card_saved_at_stripe_pays_the_next_in_series_off_session() {
    let (app, live) = live_app("whsec_unused0000").await;
    let paid = first(&app, &live, "cus-ada", 2500, "4242424242424242").await;
    assert_eq!(paid["outcome"], "paid");
    let method = paid["payment_method"].as_str().expect("saved").to_string();
    let (customer, card) = kept_at_stripe(&app, &method).await;
    assert!(customer.starts_with("cus_") && card.starts_with("card_"), "{customer} {card}");
    let listed: Vec<Value> = app
        .client
        .get(format!("{}/v1/customers/cus-ada/payment_methods", app.url))
        .bearer_auth(&live)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0]["provider"].as_str(), listed[0]["livemode"].as_bool()), (Some("stripe"), Some(true)));
    // The test key does not see the live customer's cards.
    let test_list: Vec<Value> =
        app.get("/v1/customers/cus-ada/payment_methods").send().await.unwrap().json().await.unwrap();
    assert!(test_list.is_empty());

    let charged = next(&app, &live, &method, 1234).await;
    assert_eq!(
        (charged["status"].as_str(), charged["outcome"].as_str()),
        (Some("complete"), Some("paid")),
        "{charged}"
    );
    let intent_id = attempt_ref(&app, charged["id"].as_str().unwrap()).await;
    let at_stripe = intent(&intent_id).await;
    assert_eq!(at_stripe["status"], "succeeded");
    assert_eq!(at_stripe["amount"], 1234);
    assert_eq!(
        (at_stripe["customer"].as_str(), at_stripe["payment_method"].as_str()),
        (Some(customer.as_str()), Some(card.as_str()))
    );

    // Detached: the card leaves the Stripe customer, and no series charges it.
    let detach = app.client.post(format!("{}/v1/payment_methods/{method}/detach", app.url)).bearer_auth(&live);
    assert_eq!(detach.send().await.unwrap().status(), StatusCode::OK);
    let sources = stripe_get(&format!("/v1/customers/{customer}/sources")).await;
    assert_eq!(sources["data"].as_array().map(Vec::len), Some(0), "{sources}");
    let refused = app
        .client
        .post(format!("{}/v1/checkout/sessions", app.url))
        .bearer_auth(&live)
        .json(&json!({"sequence": "next_in_series", "payment_method": method, "amount": 100, "currency": "EUR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn amount_zero_verifies_the_card_through_a_setup_intent_then_series_charge_it() {
    let (app, live) = live_app("whsec_unused0000").await;
    let verified = first(&app, &live, "cus-bob", 0, "4242424242424242").await;
    assert_eq!(
        (verified["status"].as_str(), verified["outcome"].as_str()),
        (Some("complete"), Some("payment_method_verified"))
    );
    assert!(verified["payment_id"].is_null(), "no payment for a verification");
    let setup = attempt_ref(&app, verified["id"].as_str().unwrap()).await;
    assert!(setup.starts_with("seti_"), "{setup}");
    assert_eq!(stripe_get(&format!("/v1/setup_intents/{setup}")).await["status"], "succeeded");
    let method = verified["payment_method"].as_str().unwrap();
    let charged = next(&app, &live, method, 990).await;
    assert_eq!(charged["outcome"], "paid", "{charged}");

    // A verification that needs the bank's check goes through the challenge page.
    let session =
        live_session(&app, &live, json!({"sequence": "first_in_series", "customer_id": "cus-eve", "amount": 0})).await;
    let id = session["id"].as_str().unwrap();
    let (challenge, secret) = into_challenge(&app, id).await;
    assert!(secret.starts_with("seti_"), "the SetupIntent's client secret: {secret}");
    assert_eq!(retrieve(&app, &live, id).await["outcome"], "pending");
    // Stripe.js's confirmCardSetup, once the customer passed the check.
    let seti = attempt_ref(&app, id).await;
    let confirmed = reqwest::Client::new()
        .post(format!("{}/v1/setup_intents/{seti}/confirm", stand_in()))
        .json(&json!({"key": "pk_test_kassa0123456789", "client_secret": secret}))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    let done = app.answer(&challenge, "fail").await;
    assert_eq!(location(&done), format!("/pay/{id}/return"), "Stripe decides, not the form");
    assert_eq!(retrieve(&app, &live, id).await["outcome"], "payment_method_verified");
}

#[tokio::test]
async fn a_saved_card_whose_bank_wants_the_customer_completes_unpaid_and_is_let_go() {
    let (app, live) = live_app("whsec_unused0000").await;
    // Saved through 3-D Secure with the customer there…
    let session = live_session(&app, &live, json!({"sequence": "first_in_series", "customer_id": "cus-ada"})).await;
    let id = session["id"].as_str().unwrap();
    let (challenge, secret) = into_challenge(&app, id).await;
    authenticate(&attempt_ref(&app, id).await, &secret, true).await;
    app.answer(&challenge, "approve").await;
    let paid = retrieve(&app, &live, id).await;
    assert_eq!(paid["outcome"], "paid");
    // …then charged without them: the bank asks again, and nobody is there.
    let charged = next(&app, &live, paid["payment_method"].as_str().unwrap(), 700).await;
    assert_eq!(
        (charged["status"].as_str(), charged["outcome"].as_str()),
        (Some("complete"), Some("unpaid")),
        "{charged}"
    );
    assert_eq!(charged["last_failure"]["code"], "authentication_required");
    let reference = attempt_ref(&app, charged["id"].as_str().unwrap()).await;
    let mut status = Value::Null;
    for _ in 0..50 {
        status = intent(&reference).await["status"].clone();
        if status == "canceled" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "canceled", "the waiting PaymentIntent is let go at Stripe");
}

/// Stripe as a series charge meets it when the answer is lost: requests go
/// on to the stand-in, with Stripe's idempotency (a key asked again gets
/// the first answer, which localstripe does not do), but the answer to the
/// first off-session charge never reaches Kassa.
async fn losing_first_answer() -> String {
    use axum::{
        body::Bytes,
        extract::State,
        http::{HeaderMap, Method, StatusCode as Status, Uri},
        response::IntoResponse,
    };
    use std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    };
    #[derive(Clone, Default)]
    struct Seen {
        answers: Arc<Mutex<HashMap<String, (u16, Bytes)>>>,
        lost: Arc<Mutex<bool>>,
    }
    async fn forward(
        State(seen): State<Seen>,
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> axum::response::Response {
        let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
        if let Some(answer) = key.as_ref().and_then(|k| seen.answers.lock().unwrap().get(k).cloned()) {
            return (Status::from_u16(answer.0).unwrap(), answer.1).into_response();
        }
        let mut request = reqwest::Client::new().request(method, format!("{}{uri}", stand_in())).body(body.clone());
        for (name, value) in headers.iter().filter(|(n, _)| *n != "host" && *n != "content-length") {
            request = request.header(name, value);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.unwrap();
        if let Some(key) = key {
            seen.answers.lock().unwrap().insert(key, (status, bytes.clone()));
        }
        let charge = uri.path() == "/v1/payment_intents" && String::from_utf8_lossy(&body).contains("off_session=true");
        if charge && !std::mem::replace(&mut *seen.lost.lock().unwrap(), true) {
            return (Status::BAD_GATEWAY, "the line went dead").into_response();
        }
        (Status::from_u16(status).unwrap(), bytes).into_response()
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(forward).with_state(Seen::default());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn a_series_charge_whose_answer_was_lost_is_asked_again_and_charged_once() {
    let stripe = losing_first_answer().await;
    let (app, live) = live_app_with("whsec_unused0000", |c| c.stripe_api_base = stripe).await;
    let method =
        first(&app, &live, "cus-ada", 2500, "4242424242424242").await["payment_method"].as_str().unwrap().to_string();
    // Stripe charged the card, but Kassa never heard: the payment waits, it is not taken for a decline.
    let charged = next(&app, &live, &method, 1700).await;
    assert_eq!((charged["status"].as_str(), charged["outcome"].as_str()), (Some("open"), Some("pending")), "{charged}");
    let id = charged["id"].as_str().unwrap().to_string();
    sqlx::query("UPDATE payment_attempts SET resolve_at = 1 WHERE session_id = $1")
        .bind(&id)
        .execute(app.state.store.reader())
        .await
        .unwrap();
    let mut now = Value::Null;
    for _ in 0..50 {
        now = retrieve(&app, &live, &id).await;
        if now["status"] == "complete" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!((now["status"].as_str(), now["outcome"].as_str()), (Some("complete"), Some("paid")), "{now}");
    // One charge at Stripe for the attempt, and Kassa names it.
    let attempt: String = sqlx::query_scalar("SELECT id FROM payment_attempts WHERE session_id = $1")
        .bind(&id)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    let intents = stripe_get("/v1/payment_intents?limit=100").await;
    let ours: Vec<&Value> = intents["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["metadata"]["kassa_attempt"] == attempt.as_str())
        .collect();
    assert_eq!(ours.len(), 1, "charged once: {intents}");
    assert_eq!(ours[0]["status"], "succeeded");
    assert_eq!(Some(ours[0]["id"].as_str().unwrap().to_string()), Some(attempt_ref(&app, &id).await));
}
