//! Live mode through Stripe, against localstripe (a stateful Stripe
//! stand-in that `.ci/with-localstripe.sh` starts; KASSA_TEST_STRIPE names
//! it). Each test makes what the browser would: Stripe.js's calls go to
//! localstripe directly (the card never reaches Kassa), Kassa's forms to Kassa.

mod common;

use common::stripe::*;
use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::Scope;
use std::time::Duration;

#[tokio::test]
async fn a_route_is_checked_sealed_and_never_shown_again() {
    stand_in();
    let app = TestApp::spawn().await;
    let put = |body: Value| {
        app.client
            .put(format!("{}/v1/sites/{}/provider_route", app.url, app.site_id))
            .bearer_auth(&app.key)
            .json(&body)
            .send()
    };
    let good = json!({"provider": "stripe", "secret_key": "sk_live_abcdefgh1234", "publishable_key": "pk_live_abcdefgh5678", "webhook_secret": "whsec_abcdefghijkl"});
    for (field, value, code) in [
        ("provider", "paypal", "provider_unknown"),
        ("secret_key", "pk_live_abcdefgh1234", "secret_key_invalid"),
        ("publishable_key", "pk_test_abcdefgh5678", "keys_mismatched"),
        ("webhook_secret", "secret", "webhook_secret_invalid"),
    ] {
        let mut body = good.clone();
        body[field] = json!(value);
        let response = put(body).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{field}");
        assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], code);
    }
    let saved: Value = put(good).await.unwrap().json().await.unwrap();
    assert_eq!(saved["secret_key_last4"], "1234");
    assert_eq!(saved["live_keys"], true);
    assert_eq!(saved["webhook_url"], format!("{}/providers/stripe/webhook/{}", app.url, app.site_id));
    let shown = serde_json::to_string(&saved).unwrap();
    assert!(!shown.contains("sk_live_abcdefgh1234") && !shown.contains("whsec_abcdefghijkl"), "{shown}");
    let stored = app.everything_stored().await;
    assert!(
        !stored.contains("sk_live_abcdefgh1234") && !stored.contains("whsec_abcdefghijkl"),
        "secrets are sealed at rest"
    );
    // Another merchant's key reaches neither the route nor the site.
    let other = app.add_merchant("Other", &Scope::ALL).await;
    let theirs = app
        .client
        .get(format!("{}/v1/sites/{}/provider_route", app.url, app.site_id))
        .bearer_auth(&other.key)
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_live_key_needs_a_route_and_its_sessions_are_live() {
    stand_in();
    let app = TestApp::spawn().await;
    let live = app.live_key_with(&Scope::ALL).await;
    assert!(live.starts_with("sk_live_"));
    let refused = app
        .client
        .post(format!("{}/v1/checkout/sessions", app.url))
        .bearer_auth(&live)
        .json(&json!({"amount": 100, "currency": "EUR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(refused.json::<Value>().await.unwrap()["error"]["code"], "provider_route_missing");
    let test = app.session(json!({})).await;
    assert_eq!(test["livemode"], false);
    assert_eq!(test["provider"], "sandbox");
}

#[tokio::test]
async fn a_live_session_is_paid_through_stripe_with_a_token_only() {
    let (app, live) = live_app("whsec_unused0000").await;
    let session = live_session(&app, &live, json!({})).await;
    let id = session["id"].as_str().unwrap();
    assert_eq!(session["livemode"], true);
    assert_eq!(session["provider"], "stripe");
    // The page loads Stripe.js and its element, not Kassa's card inputs or WebAssembly.
    let page = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("{}/js.stripe.com/v3/", stand_in())), "{html}");
    assert!(html.contains(r#"data-stripe-key="pk_test_kassa0123456789""#));
    assert!(!html.contains("card_number") && !html.contains("kassa.wasm") && !html.contains("sk_test_kassa"));
    let directive =
        |name: &str| policy.split(';').map(str::trim).find(|d| d.starts_with(name)).unwrap_or("").to_string();
    for name in ["script-src", "connect-src", "frame-src"] {
        assert!(directive(name).contains(&stand_in()), "{name} admits Stripe: {policy}");
    }
    // A sandbox session's page names no Stripe origin.
    let test = app.session(json!({})).await;
    let sandbox = app.client.get(format!("{}/pay/{}", app.url, test["id"].as_str().unwrap())).send().await.unwrap();
    assert!(!sandbox.headers()["content-security-policy"].to_str().unwrap().contains(&stand_in()));

    let paid = pay_token(&app, id, "4242424242424242").await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&paid), format!("/pay/{id}/return"));
    let now = retrieve(&app, &live, id).await;
    assert_eq!((now["status"].as_str(), now["outcome"].as_str()), (Some("complete"), Some("paid")));
    let reference = attempt_ref(&app, id).await;
    let at_stripe = intent(&reference).await;
    assert_eq!(at_stripe["status"], "succeeded");
    assert_eq!(at_stripe["amount"], 2500);
    assert_eq!(at_stripe["metadata"]["kassa_session"], id);
    let (brand, last4): (String, String) =
        sqlx::query_as("SELECT method_brand, method_last4 FROM payment_attempts WHERE session_id = $1")
            .bind(id)
            .fetch_one(app.state.store.reader())
            .await
            .unwrap();
    assert_eq!((brand.as_str(), last4.as_str()), ("visa", "4242"));
    assert!(!app.everything_stored().await.contains("4242424242424242"));
}

#[tokio::test]
async fn a_decline_at_stripe_leaves_the_session_open_for_another_card() {
    let (app, live) = live_app("whsec_unused0000").await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    // Declined when charged (…0341), and when the card is first saved (…0002).
    for number in ["4000000000000341", "4000000000000002"] {
        let declined = pay_token(&app, &id, number).await;
        assert_eq!(location(&declined), format!("/pay/{id}"));
        let now = retrieve(&app, &live, &id).await;
        assert_eq!((now["status"].as_str(), now["outcome"].as_str()), (Some("open"), Some("unpaid")), "{number}");
        assert_eq!(now["last_failure"]["code"], "card_declined");
    }
    let paid = pay_token(&app, &id, "4242424242424242").await;
    assert_eq!(location(&paid), format!("/pay/{id}/return"));
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "paid");
    // A token Stripe never made is refused, with nothing changed.
    let other = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    let forged = app
        .submit("/fn/pay_token", &[("session", &other), ("email", "ada@example.com"), ("token", "tok_forged")])
        .await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert_eq!(retrieve(&app, &live, &other).await["outcome"], "not_started");
}

#[tokio::test]
async fn three_d_secure_is_decided_by_what_stripe_says_not_the_browser() {
    let (app, live) = live_app("whsec_unused0000").await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    let (challenge, secret) = into_challenge(&app, &id).await;
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "pending");
    let reference = attempt_ref(&app, &id).await;
    // The browser says "done" without passing the check: Stripe still waits, so nothing is paid.
    let early = app.answer(&challenge, "done").await;
    assert_eq!(location(&early), challenge, "back to the bank's check");
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "pending");
    // A failed check: declined, whatever the form says; the customer may try again.
    authenticate(&reference, &secret, false).await;
    app.answer(&challenge, "approve").await;
    let failed = retrieve(&app, &live, &id).await;
    assert_eq!((failed["status"].as_str(), failed["outcome"].as_str()), (Some("open"), Some("unpaid")));
    // A passed one: paid, whatever the form says.
    let (challenge, secret) = into_challenge(&app, &id).await;
    authenticate(&attempt_ref(&app, &id).await, &secret, true).await;
    let done = app.answer(&challenge, "fail").await;
    assert_eq!(location(&done), format!("/pay/{id}/return"));
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "paid");
}

#[tokio::test]
async fn stripes_webhook_alone_completes_a_session_whose_customer_left() {
    let secret = "whsec_kassatest1234";
    let (app, live) = live_app(secret).await;
    register_webhook(&app, secret).await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    let (_, client_secret) = into_challenge(&app, &id).await;
    // The customer passes the check and closes the tab before the page tells Kassa.
    authenticate(&attempt_ref(&app, &id).await, &client_secret, true).await;
    let mut outcome = Value::Null;
    for _ in 0..100 {
        outcome = retrieve(&app, &live, &id).await["outcome"].clone();
        if outcome == "paid" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(outcome, "paid", "the webhook completed the session");
    let applied: i64 = app.scalar("SELECT COUNT(*) FROM provider_callbacks WHERE provider = $1", "stripe").await;
    assert!(applied >= 1);
}

#[tokio::test]
async fn a_callback_that_does_not_verify_changes_nothing() {
    let (app, _) = live_app("whsec_kassatest1234").await;
    let url = format!("{}/providers/stripe/webhook/{}", app.url, app.site_id);
    let body = json!({"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_x", "status": "succeeded"}}}).to_string();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    for signature in [None, Some(format!("t={now},v1={}", "0".repeat(64)))] {
        let mut request = app.client.post(&url).body(body.clone());
        if let Some(s) = signature {
            request = request.header("Stripe-Signature", s);
        }
        assert_eq!(request.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    }
    let unknown =
        app.client.post(format!("{}/providers/stripe/webhook/site_nope", app.url)).body(body).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM provider_callbacks WHERE provider = $1", "stripe").await, 0);
}

#[tokio::test]
async fn refunds_go_through_stripe_and_are_recorded_only_when_it_accepts() {
    let (app, live) = live_app("whsec_unused0000").await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    assert_eq!(location(&pay_token(&app, &id, "4242424242424242").await), format!("/pay/{id}/return"));
    // Two partial refunds, each made at Stripe under Kassa's own refund id.
    for amount in [1000, 500] {
        let made = refund(&app, &live, &id, amount).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let made: Value = made.json().await.unwrap();
        let at_stripe: String = sqlx::query_scalar("SELECT provider_ref FROM refunds WHERE id = $1")
            .bind(made["id"].as_str().unwrap())
            .fetch_one(app.state.store.reader())
            .await
            .unwrap();
        assert!(at_stripe.starts_with("re_"), "{at_stripe}");
        let stripe_refund: Value = reqwest::Client::new()
            .get(format!("{}/v1/refunds/{at_stripe}", stand_in()))
            .bearer_auth("sk_test_kassa0123456789")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(stripe_refund["amount"], amount);
        assert_eq!(stripe_refund["metadata"]["kassa_refund"], made["id"]);
    }
    // More than remains is refused before Stripe is asked.
    assert_eq!(refund(&app, &live, &id, 1001).await.status(), StatusCode::CONFLICT);
    let total: i64 = app.scalar("SELECT amount_refunded FROM payments WHERE session_id = $1", &id).await;
    assert_eq!(total, 1500);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM refunds WHERE session_id = $1", &id).await, 2);
    // The session names the payment at Stripe: its PaymentIntent, and its
    // charge once the worker looked it up.
    let intent_id = attempt_ref(&app, &id).await;
    let mut session = Value::Null;
    for _ in 0..50 {
        session = retrieve(&app, &live, &id).await;
        if session["provider_charge_id"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(session["provider_payment_id"], intent_id.as_str());
    let charge = session["provider_charge_id"].as_str().unwrap_or_default().to_string();
    assert_eq!(Some(charge.as_str()), intent(&intent_id).await["latest_charge"]["id"].as_str(), "{session}");
    // The merchant finds each at Stripe by the ids the dashboard shows.
    let dashboard = common::browser::signed_in(&app).await;
    let (_, html) = dashboard.get(&format!("/dashboard/sessions/{id}")).await;
    assert!(html.contains(&format!("stripe {intent_id}")), "{html}");
    assert!(html.contains(&format!("{intent_id} · charge {charge}")), "{html}");
    assert!(html.contains("Live"));
    let refund_ids: Vec<String> = sqlx::query_scalar("SELECT provider_ref FROM refunds WHERE session_id = $1")
        .bind(&id)
        .fetch_all(app.state.store.reader())
        .await
        .unwrap();
    for refund_id in refund_ids {
        assert!(html.contains(&refund_id), "{refund_id}");
    }
}

#[tokio::test]
async fn a_manual_capture_is_authorised_then_captured_at_stripe() {
    let (app, live) = live_app("whsec_unused0000").await;
    let id = live_session(&app, &live, json!({"capture": "manual"})).await["id"].as_str().unwrap().to_string();
    pay_token(&app, &id, "4242424242424242").await;
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "reserved");
    let reference = attempt_ref(&app, &id).await;
    assert_eq!(intent(&reference).await["status"], "requires_capture");
    let captured = app
        .client
        .post(format!("{}/v1/checkout/sessions/{id}/capture", app.url))
        .bearer_auth(&live)
        .send()
        .await
        .unwrap();
    assert_eq!(captured.status(), StatusCode::OK);
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "paid");
    assert_eq!(intent(&reference).await["status"], "succeeded");
}

#[tokio::test]
async fn a_payment_that_goes_through_after_its_checkout_closed_is_given_back() {
    let secret = "whsec_kassalate1234";
    // No worker pass: the late payment itself must be caught, by Stripe's webhook.
    let (app, live) = live_app_with(secret, |c| c.sweep_ms = 3_600_000).await;
    register_webhook(&app, secret).await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    let (_, client_secret) = into_challenge(&app, &id).await;
    let reference = attempt_ref(&app, &id).await;
    expire(&app, &live, &id).await;
    // The customer's tab stayed open: they pass the bank's check after the checkout closed.
    authenticate(&reference, &client_secret, true).await;
    let mut refunded = 0;
    for _ in 0..100 {
        refunded = app
            .scalar("SELECT COUNT(*) FROM events WHERE session_id = $1 AND type = 'payment_attempt.refunded'", &id)
            .await;
        if refunded > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(refunded, 1, "the late payment was given back and the merchant told");
    let at_stripe = intent(&reference).await;
    let charge = &at_stripe["latest_charge"];
    assert_eq!(charge["amount_refunded"], 2500, "{at_stripe}");
    let now = retrieve(&app, &live, &id).await;
    assert_eq!(now["status"], "expired");
    assert_ne!(now["outcome"], "paid");
    // Stripe's repeats change nothing: one refund, one event.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM events WHERE session_id = $1 AND type = 'payment_attempt.refunded'", &id)
            .await,
        1
    );
}

#[tokio::test]
async fn a_challenge_abandoned_by_a_closed_checkout_is_cancelled_at_stripe() {
    let (app, live) = live_app("whsec_unused0000").await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    into_challenge(&app, &id).await;
    let reference = attempt_ref(&app, &id).await;
    expire(&app, &live, &id).await;
    let mut status = Value::Null;
    for _ in 0..100 {
        status = intent(&reference).await["status"].clone();
        if status == "canceled" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "canceled", "the worker let the PaymentIntent go");
    let released: i64 = app
        .scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1 AND released_at IS NOT NULL", &id)
        .await;
    assert_eq!(released, 1);
}

#[tokio::test]
async fn a_passed_challenge_whose_callback_never_came_is_read_back_from_stripe() {
    // No webhook registered: only reading the PaymentIntent back can find the payment.
    let (app, live) = live_app_with("whsec_unused0000", |c| c.read_back_ms = 1_000).await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    let (_, client_secret) = into_challenge(&app, &id).await;
    let reference = attempt_ref(&app, &id).await;
    // Still at the bank's check: read back, found waiting, asked again later, not paid.
    let mut asked = 0;
    for _ in 0..50 {
        asked = app
            .scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1 AND next_check_at IS NOT NULL", &id)
            .await;
        if asked > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(asked, 1, "the open challenge was read back and left waiting");
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "pending");
    // The customer passes the check and closes the tab; Kassa never hears of it.
    authenticate(&reference, &client_secret, true).await;
    let mut outcome = Value::Null;
    for _ in 0..60 {
        outcome = retrieve(&app, &live, &id).await["outcome"].clone();
        if outcome == "paid" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(outcome, "paid", "reconciliation found the payment at Stripe");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM provider_callbacks WHERE provider = $1", "stripe").await, 0);
}

/// What Stripe holds after Kassa's process died mid-payment: the attempt
/// started, Stripe confirmed the payment named after it, and Kassa never
/// stored Stripe's id for it. The attempt.
async fn paid_at_stripe_unbeknown_to_kassa(app: &TestApp, session: &str) -> String {
    let card = server::store::NewAttempt {
        provider: "stripe",
        brand: "visa".into(),
        last4: "4242".into(),
        exp_month: 12,
        exp_year: 2034,
    };
    let attempt = app.state.store.start_attempt(session, Some("ada@example.com"), &card).await.unwrap();
    let stripe = |path: &str, form: Vec<(&str, String)>| {
        reqwest::Client::new()
            .post(format!("{}{path}", stand_in()))
            .bearer_auth("sk_test_kassa0123456789")
            .form(&form)
            .send()
    };
    let customer: Value =
        stripe("/v1/customers", vec![("source", token("4242424242424242").await)]).await.unwrap().json().await.unwrap();
    let form = vec![
        ("amount", "2500".to_string()),
        ("currency", "eur".into()),
        ("customer", customer["id"].as_str().unwrap().into()),
        ("payment_method", customer["default_source"].as_str().unwrap().into()),
        ("confirm", "true".into()),
        ("metadata[kassa_attempt]", attempt.id.clone()),
        ("metadata[kassa_session]", session.into()),
    ];
    let intent: Value = stripe("/v1/payment_intents", form).await.unwrap().json().await.unwrap();
    assert_eq!(intent["status"], "succeeded", "{intent}");
    attempt.id
}

#[tokio::test]
async fn a_payment_whose_id_kassa_never_stored_is_found_by_the_attempt_its_webhook_names() {
    let secret = "whsec_kassameta1234";
    // No worker pass: only Stripe's webhook can tell.
    let (app, live) = live_app_with(secret, |c| c.sweep_ms = 3_600_000).await;
    register_webhook(&app, secret).await;
    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    paid_at_stripe_unbeknown_to_kassa(&app, &id).await;
    let mut outcome = Value::Null;
    for _ in 0..100 {
        outcome = retrieve(&app, &live, &id).await["outcome"].clone();
        if outcome == "paid" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(outcome, "paid");
    assert!(attempt_ref(&app, &id).await.starts_with("pi_"), "the id is kept now");
}

#[tokio::test]
async fn another_sites_webhook_cannot_claim_an_attempt_by_naming_it() {
    let (app, live) = live_app_with("whsec_unused0000", |c| c.sweep_ms = 3_600_000).await;
    // Another merchant's site routed to its own Stripe account, its webhook registered; ours is not.
    let other = app.add_merchant("Other Shop", &Scope::ALL).await;
    let secret = "whsec_kassaother123";
    let route = json!({"provider": "stripe", "secret_key": "sk_test_other0123456789",
        "publishable_key": "pk_test_other0123456789", "webhook_secret": secret});
    let put = app.client.put(format!("{}/v1/sites/{}/provider_route", app.url, other.site_id)).bearer_auth(&other.key);
    assert_eq!(put.json(&route).send().await.unwrap().status(), StatusCode::OK);
    let url = format!("{}/providers/stripe/webhook/{}", app.url, other.site_id);
    let hook = format!("{}/_config/webhooks/{}", stand_in(), other.site_id);
    reqwest::Client::new().post(hook).form(&[("url", url.as_str()), ("secret", secret)]).send().await.unwrap();

    let id = live_session(&app, &live, json!({})).await["id"].as_str().unwrap().to_string();
    paid_at_stripe_unbeknown_to_kassa(&app, &id).await;
    let mut heard = 0;
    for _ in 0..50 {
        heard = app.scalar("SELECT COUNT(*) FROM provider_callbacks WHERE provider = $1", "stripe").await;
        if heard > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(heard > 0, "the other site heard of the payment");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(retrieve(&app, &live, &id).await["outcome"], "pending", "not its attempt to settle");
    let unnamed =
        app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1 AND provider_ref IS NULL", &id).await;
    assert_eq!(unnamed, 1);
}
