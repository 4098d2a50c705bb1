//! Live mode through Stripe's stand-in, localstripe (started by
//! `.ci/with-localstripe.sh`; KASSA_TEST_STRIPE names it): what the tests
//! do as Stripe.js and as a merchant with a live key.

use super::{location, stripe_stand_in, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::Scope;

/// localstripe's address; these tests need it running.
pub fn stand_in() -> String {
    assert!(
        std::env::var("KASSA_TEST_STRIPE").is_ok(),
        "the Stripe tests need localstripe: run them through .ci/with-localstripe.sh (make test does)"
    );
    stripe_stand_in()
}

/// A Kassa whose site routes live payments to Stripe (the stand-in), and
/// a live key for it.
pub async fn live_app(secret: &str) -> (TestApp, String) {
    live_app_with(secret, |_| {}).await
}

pub async fn live_app_with(secret: &str, adjust: impl FnOnce(&mut server::config::Config)) -> (TestApp, String) {
    stand_in();
    let app = TestApp::spawn_with(adjust).await;
    let route = json!({
        "provider": "stripe",
        "secret_key": "sk_test_kassa0123456789",
        "publishable_key": "pk_test_kassa0123456789",
        "webhook_secret": secret,
    });
    let response = app
        .client
        .put(format!("{}/v1/sites/{}/provider_route", app.url, app.site_id))
        .bearer_auth(&app.key)
        .json(&route)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let live = app.live_key_with(&Scope::ALL).await;
    (app, live)
}

pub async fn live_session(app: &TestApp, live: &str, extra: Value) -> Value {
    let mut body = json!({"amount": 2500, "currency": "EUR"});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let response = app
        .client
        .post(format!("{}/v1/checkout/sessions", app.url))
        .bearer_auth(live)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// A live session as the live key reads it (the test key does not see it).
pub async fn retrieve(app: &TestApp, live: &str, id: &str) -> Value {
    let response =
        app.client.get(format!("{}/v1/checkout/sessions/{id}", app.url)).bearer_auth(live).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// What Stripe.js's `createToken` does with the card typed into Stripe's element.
pub async fn token(number: &str) -> String {
    let form = [
        ("card[number]", number),
        ("card[exp_month]", "12"),
        ("card[exp_year]", "2034"),
        ("card[cvc]", "123"),
        ("key", "pk_test_kassa0123456789"),
    ];
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/v1/tokens", stand_in()))
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["id"].as_str().expect("a token").to_string()
}

pub async fn pay_token(app: &TestApp, id: &str, number: &str) -> reqwest::Response {
    let token = token(number).await;
    app.submit("/fn/pay_token", &[("session", id), ("email", "ada@example.com"), ("token", &token)]).await
}

/// The PaymentIntent as the stand-in has it.
pub async fn intent(id: &str) -> Value {
    stripe_get(&format!("/v1/payment_intents/{id}")).await
}

/// What the stand-in holds at `path`, read with the route's secret key.
pub async fn stripe_get(path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}{path}", stand_in()))
        .bearer_auth("sk_test_kassa0123456789")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub async fn attempt_ref(app: &TestApp, session: &str) -> String {
    sqlx::query_scalar(
        "SELECT provider_ref FROM payment_attempts WHERE session_id = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(session)
    .fetch_one(app.state.store.reader())
    .await
    .unwrap()
}

/// Stripe.js's part of 3-D Secure: the customer passes or fails the bank's check.
pub async fn authenticate(intent_id: &str, secret: &str, success: bool) {
    let url = format!("{}/v1/payment_intents/{intent_id}/_authenticate?success={success}", stand_in());
    let body = json!({"key": "pk_test_kassa0123456789", "client_secret": secret});
    let answer = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
}

/// Pays with the 3-D Secure card: the challenge page's path and the client secret it carries.
pub async fn into_challenge(app: &TestApp, id: &str) -> (String, String) {
    let challenged = pay_token(app, id, "4000002760003184").await;
    let challenge = location(&challenged);
    assert!(challenge.starts_with(&format!("/pay/{id}/challenge/")), "{challenge}");
    let (_, html) = app.page(&challenge).await;
    let secret = html.split("data-client-secret=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
    assert!(secret.contains("_secret_"), "{html}");
    (challenge, secret)
}

/// Registers Kassa's endpoint for the site with the stand-in, as a merchant
/// does in Stripe's dashboard.
pub async fn register_webhook(app: &TestApp, secret: &str) {
    let url = format!("{}/providers/stripe/webhook/{}", app.url, app.site_id);
    let hook = format!("{}/_config/webhooks/{}", stand_in(), app.site_id);
    let answer =
        reqwest::Client::new().post(hook).form(&[("url", url.as_str()), ("secret", secret)]).send().await.unwrap();
    assert!(answer.status().is_success(), "{:?}", answer.text().await);
}

pub async fn expire(app: &TestApp, live: &str, id: &str) {
    let expired = app
        .client
        .post(format!("{}/v1/checkout/sessions/{id}/expire", app.url))
        .bearer_auth(live)
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::OK);
}

pub async fn refund(app: &TestApp, live: &str, id: &str, amount: i64) -> reqwest::Response {
    app.client
        .post(format!("{}/v1/refunds", app.url))
        .bearer_auth(live)
        .json(&json!({"session_id": id, "amount": amount}))
        .send()
        .await
        .unwrap()
}
