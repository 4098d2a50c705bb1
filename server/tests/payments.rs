//! Paying through the hosted page's form posts, with every sandbox card,
//! and the races that must have one winner.

mod common;

use common::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

const DECLINES: [(&str, &str); 5] = [
    ("4000000000000002", "card_declined"),
    ("4000000000009995", "insufficient_funds"),
    ("4000000000000069", "expired_card"),
    ("4000000000000127", "incorrect_cvc"),
    ("4000000000000119", "processing_error"),
];

async fn new_session(app: &TestApp, extra: Value) -> String {
    app.session(extra).await["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn paying_with_4242_completes_the_session() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({"order_id": "A-1", "customer_email": "buyer@shop.example"})).await;
    let response = app.pay(&id, "4242 4242 4242 4242").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/pay/{id}/return"));
    let session = app.retrieve(&id).await;
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("complete"), Some("paid")));
    assert_eq!(session["payment_status"], "paid");
    assert!(session["payment_id"].as_str().unwrap().starts_with("pay_"));
    // The merchant's email is kept; the one typed at the checkout sits beside it and gets the receipt.
    assert_eq!(session["customer_email"], "buyer@shop.example");
    assert_eq!(session["customer"]["email"], "ada@example.com");
    let receipt_to: String = sqlx::query_scalar("SELECT email FROM receipts WHERE session_id = $1")
        .bind(&id)
        .fetch_one(app.state.store.reader())
        .await
        .unwrap();
    assert_eq!(receipt_to, "ada@example.com");
    let partner = app.status_api(&id).await;
    assert_eq!(partner["data"]["status"], "Completed");
    assert_eq!(partner["data"]["outcome"], "Succeeded");
    assert_eq!(partner["data"]["orderId"], "A-1");
    assert_eq!(partner["data"]["transactionId"], session["payment_id"]);
    assert!(partner["traceId"].as_str().is_some());
    let (status, page) = app.page(&format!("/pay/{id}/return")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Payment successful"));
    assert!(page.contains(&format!("https://shop.example/thanks?s={id}")), "success URL with the id filled in");
    assert!(
        page.contains(&format!("content=\"5;url=https://shop.example/thanks?s={id}\"")),
        "then sends the customer on"
    );
    let (_, page) = app.page(&format!("/pay/{id}")).await;
    assert!(page.contains("already paid"));
    let types: Vec<String> =
        sqlx::query_scalar("SELECT type FROM events WHERE session_id = $1 ORDER BY created_at, id")
            .bind(&id)
            .fetch_all(app.state.store.reader())
            .await
            .unwrap();
    for expected in [
        "checkout.session.created",
        "payment_attempt.created",
        "payment_attempt.succeeded",
        "checkout.session.completed",
    ] {
        assert!(types.iter().any(|t| t == expected), "{expected} in {types:?}");
    }
}

#[tokio::test]
async fn each_decline_keeps_the_session_open_for_another_try() {
    let app = TestApp::spawn().await;
    for (number, code) in DECLINES {
        let id = new_session(&app, json!({})).await;
        let response = app.pay(&id, number).await;
        assert_eq!(location(&response), format!("/pay/{id}"), "{number}");
        let session = app.retrieve(&id).await;
        assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("open"), Some("unpaid")));
        assert_eq!(session["last_failure"]["code"], code);
        assert_eq!(session["display_state"], "Failed");
        let partner = app.status_api(&id).await;
        assert_eq!(partner["data"]["status"], "Launched");
        assert!(partner["data"].get("outcome").is_none());
        assert!(partner["data"]["failureReason"].as_str().is_some());
        let (_, page) = app.page(&format!("/pay/{id}")).await;
        assert!(page.contains("Your payment did not go through"), "{number}");
        assert!(page.contains(session["last_failure"]["message"].as_str().unwrap().split('.').next().unwrap()));
    }
    let id = new_session(&app, json!({})).await;
    app.pay(&id, "4000000000000002").await;
    app.pay(&id, "4242424242424242").await;
    let session = app.retrieve(&id).await;
    assert_eq!(session["outcome"], "paid");
    assert!(session["last_failure"].is_null());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1", &id).await, 2);
}

#[tokio::test]
async fn three_d_secure_approve_and_fail() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({})).await;
    let response = app.pay(&id, "4000002760003184").await;
    let challenge = location(&response);
    assert!(challenge.starts_with(&format!("/pay/{id}/challenge/pa_")), "{challenge}");
    assert_eq!(app.retrieve(&id).await["display_state"], "Requires action");
    assert_eq!(app.status_api(&id).await["data"]["status"], "Pending");
    let (status, page) = app.page(&challenge).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Complete authentication"));
    let (_, page) = app.page(&format!("/pay/{id}")).await;
    assert!(page.is_empty(), "the checkout sends the customer back to the challenge");
    let approve = app.answer(&challenge, "approve").await;
    assert_eq!(location(&approve), format!("/pay/{id}/return"));
    assert_eq!(app.retrieve(&id).await["outcome"], "paid");

    let id = new_session(&app, json!({})).await;
    let challenge = location(&app.pay(&id, "4000002760003184").await);
    let fail = app.answer(&challenge, "fail").await;
    assert_eq!(location(&fail), format!("/pay/{id}"));
    let session = app.retrieve(&id).await;
    assert_eq!(session["outcome"], "unpaid");
    assert_eq!(session["last_failure"]["code"], "authentication_failed");
    let again = app.answer(&challenge, "approve").await;
    assert_eq!(location(&again), format!("/pay/{id}"), "a finished challenge cannot be approved later");
    assert_eq!(app.retrieve(&id).await["outcome"], "unpaid");
}

#[tokio::test]
async fn asynchronous_cards_stay_processing_then_resolve_by_themselves() {
    let app = TestApp::spawn().await;
    let good = new_session(&app, json!({})).await;
    let bad = new_session(&app, json!({})).await;
    assert_eq!(location(&app.pay(&good, "4000000000001034").await), format!("/pay/{good}/return"));
    app.pay(&bad, "4000000000001042").await;
    let pending = app.retrieve(&good).await;
    assert_eq!((pending["outcome"].as_str(), pending["display_state"].as_str()), (Some("pending"), Some("Pending")));
    assert_eq!(pending["payment_status"], "pending");
    assert_eq!(app.status_api(&good).await["data"]["status"], "Pending");
    let (_, page) = app.page(&format!("/pay/{good}/return")).await;
    assert!(page.contains("Confirming your payment") && page.contains("http-equiv=\"refresh\""));
    app.wait_for(&good, "complete", "paid").await;
    let failed = app.wait_for(&bad, "open", "unpaid").await;
    assert_eq!(failed["last_failure"]["code"], "payment_failed");
    let async_events = app
        .scalar(
            "SELECT COUNT(*) FROM events WHERE session_id = $1 AND type = 'checkout.session.async_payment_succeeded'",
            &good,
        )
        .await;
    assert_eq!(async_events, 1);
}

#[tokio::test]
async fn manual_capture_reserves_then_captures_once() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({"capture": "manual"})).await;
    app.pay(&id, "4242424242424242").await;
    let session = app.retrieve(&id).await;
    assert_eq!(
        (session["outcome"].as_str(), session["display_state"].as_str()),
        (Some("reserved"), Some("Authorized"))
    );
    assert_eq!(app.status_api(&id).await["data"]["outcome"], "Succeeded");
    let captured: Value =
        app.post(&format!("/v1/checkout/sessions/{id}/capture")).send().await.unwrap().json().await.unwrap();
    assert_eq!(captured["outcome"], "paid");
    let again = app.post(&format!("/v1/checkout/sessions/{id}/capture")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(app.scalar("SELECT amount_captured FROM payments WHERE session_id = $1", &id).await, 2500);
}

#[tokio::test]
async fn next_in_series_failure_completes_unpaid_and_zero_amount_verifies() {
    let app = TestApp::spawn().await;
    // Verified without a charge, and saved: …0341 passes verification, then declines every charge.
    let id = new_session(&app, json!({"amount": 0, "sequence": "first_in_series", "customer_id": "cus-1"})).await;
    app.pay(&id, "4000000000000341").await;
    let session = app.retrieve(&id).await;
    assert_eq!(session["outcome"], "payment_method_verified");
    assert!(session["payment_id"].is_null());
    // The next payment of the series, with no customer to retry: complete, unpaid.
    let method = session["payment_method"].as_str().unwrap();
    let id = new_session(&app, json!({"sequence": "next_in_series", "payment_method": method})).await;
    let session = app.retrieve(&id).await;
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("complete"), Some("unpaid")));
    let partner = app.status_api(&id).await;
    assert_eq!(
        (partner["data"]["status"].as_str(), partner["data"]["outcome"].as_str()),
        (Some("Failed"), Some("Failed"))
    );
}

#[tokio::test]
async fn a_form_with_mistakes_is_shown_again_and_nothing_is_attempted() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({})).await;
    let form = [
        ("session", id.as_str()),
        ("email", "ada@example.com"),
        ("card_number", "4242424242424241"),
        ("card_expiry", "01/20"),
        ("card_cvc", "1"),
    ];
    let response = app.submit("/fn/pay", &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/pay/{id}"), "back to the page, which reads what was refused");
    let (_, page) = app.page(&format!("/pay/{id}")).await;
    assert!(page.contains("Your card number is invalid"));
    assert!(page.contains("expiry date is in the past"));
    assert!(page.contains("security code is incomplete"));
    assert!(page.contains("value=\"ada@example.com\""), "the email is kept");
    // (Every message is in the form's words; these three are the ones shown.)
    assert_eq!(page.matches(r#"aria-invalid="true""#).count(), 3, "number, expiry and CVC marked: {page}");
    assert!(!page.contains("4242424242424241"), "the card number is never echoed");
    assert!(!app.everything_stored().await.contains("4242424242424241"), "nor stored");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1", &id).await, 0);
    // The query string cannot make the page say anything.
    let (_, page) =
        app.page(&format!("/pay/{cs}?error=cvc_incomplete&__err=boom", cs = new_session(&app, json!({})).await)).await;
    assert!(!page.contains(r#"aria-invalid="true""#) && !page.contains("boom"), "{page}");
    // Paying again with the mistakes fixed clears them.
    app.pay(&id, "4000000000000002").await;
    let (_, page) = app.page(&format!("/pay/{id}")).await;
    assert!(!page.contains(r#"aria-invalid="true""#) && page.contains("Your card was declined"), "{page}");
}

#[tokio::test]
async fn card_numbers_and_cvcs_are_never_stored() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({})).await;
    app.pay(&id, "4000000000000002").await;
    app.pay(&id, "4242424242424242").await;
    let text = app.everything_stored().await;
    assert!(text.contains(&id), "the scan reads the database");
    assert!(!text.contains("4242424242424242") && !text.contains("4000000000000002"));
    let attempts: Vec<(String, String)> =
        sqlx::query_as("SELECT method_brand, method_last4 FROM payment_attempts WHERE session_id = $1")
            .bind(&id)
            .fetch_all(app.state.store.reader())
            .await
            .unwrap();
    assert_eq!(attempts, vec![("visa".into(), "0002".into()), ("visa".into(), "4242".into())]);
}

#[tokio::test]
async fn twenty_simultaneous_pays_make_one_payment() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({})).await;
    let pays = (0..20).map(|_| app.pay(&id, "4242424242424242"));
    let responses = futures::future::join_all(pays).await;
    assert!(responses.iter().all(|r| r.status() == StatusCode::SEE_OTHER));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments WHERE session_id = $1", &id).await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1 AND status = 'succeeded'", &id).await,
        1
    );
    assert_eq!(app.retrieve(&id).await["outcome"], "paid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paying_races_expiring_and_one_wins() {
    let app = TestApp::spawn().await;
    for _ in 0..10 {
        let id = new_session(&app, json!({})).await;
        let expire = app.post(&format!("/v1/checkout/sessions/{id}/expire")).send();
        let (paid, expired) = tokio::join!(app.pay(&id, "4242424242424242"), expire);
        let expired_ok = expired.unwrap().status() == StatusCode::OK;
        let session = app.retrieve(&id).await;
        let payments = app.scalar("SELECT COUNT(*) FROM payments WHERE session_id = $1", &id).await;
        assert_eq!(paid.status(), StatusCode::SEE_OTHER);
        if expired_ok {
            assert_eq!((session["status"].as_str(), payments), (Some("expired"), 0), "expiry won");
        } else {
            assert_eq!((session["status"].as_str(), payments), (Some("complete"), 1), "payment won");
        }
    }
}

#[tokio::test]
async fn sessions_expire_on_time_but_never_with_a_payment_in_flight() {
    let app = TestApp::spawn_with(|c| c.sandbox_async_ms = 1500).await;
    let idle = new_session(&app, json!({})).await;
    let busy = new_session(&app, json!({})).await;
    app.pay(&busy, "4000000000001034").await;
    app.make_due(&idle).await;
    app.make_due(&busy).await;
    app.wait_for(&idle, "expired", "not_started").await;
    assert_eq!(app.retrieve(&busy).await["outcome"], "pending", "in flight: not expired");
    app.wait_for(&busy, "complete", "paid").await;
    let (status, page) = app.page(&format!("/pay/{idle}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This checkout has expired"));
    let refused = app.pay(&idle, "4242424242424242").await;
    assert_eq!(location(&refused), format!("/pay/{idle}"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments WHERE session_id = $1", &idle).await, 0);
}

#[tokio::test]
async fn an_expired_session_is_expired_when_read_even_before_the_sweep() {
    let app = TestApp::spawn_with(|c| c.sweep_ms = 3_600_000).await;
    let id = new_session(&app, json!({})).await;
    app.make_due(&id).await;
    let partner = app.status_api(&id).await;
    assert_eq!(partner["data"]["status"], "Expired");
}

#[tokio::test]
async fn the_pages_tell_each_state_apart() {
    let app = TestApp::spawn().await;
    let (status, page) = app.page("/pay/cs_doesnotexist").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Checkout not found"));
    let id = new_session(&app, json!({"cancel_url": "https://shop.example/cart"})).await;
    app.post(&format!("/v1/checkout/sessions/{id}/cancel")).send().await.unwrap();
    let (_, page) = app.page(&format!("/pay/{id}")).await;
    assert!(page.contains("This checkout was cancelled") && page.contains("https://shop.example/cart"));
    assert!(!page.contains("card-number"), "no form on a closed session");
}

#[tokio::test]
async fn a_forged_return_query_changes_nothing() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({})).await;
    let (status, page) = app.page(&format!("/pay/{id}/return?status=paid&redirect_status=succeeded")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!page.contains("Payment successful"));
    assert_eq!(app.retrieve(&id).await["outcome"], "not_started");
}

#[tokio::test]
async fn opening_the_page_records_the_customer_context_once() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({})).await;
    assert_eq!(app.status_api(&id).await["data"]["status"], "Created");
    let version = |app: &TestApp| {
        let url = format!("{}/fn/state?session={id}", app.url);
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap().json::<Value>().await.unwrap()["version"].clone() }
    };
    let before = version(&app).await;
    let open = |ua: &'static str| {
        app.client
            .get(format!("{}/pay/{id}", app.url))
            .header("user-agent", ua)
            .header("accept-language", "de-DE,de;q=0.9,en;q=0.8")
            .send()
    };
    assert_eq!(open("Mozilla/5.0 (iPhone) Safari/604.1").await.unwrap().status(), StatusCode::OK);
    open("Second/1.0").await.unwrap();
    let session = app.retrieve(&id).await;
    assert_eq!(session["customer"]["ip_address"], "127.0.0.1");
    assert_eq!(session["customer"]["user_agent"], "Mozilla/5.0 (iPhone) Safari/604.1");
    assert_eq!(session["customer"]["preferred_language"], "de-DE");
    assert_eq!(app.status_api(&id).await["data"]["status"], "Launched");
    assert_ne!(version(&app).await, before, "the open page sees the change");
    let opened =
        app.scalar("SELECT COUNT(*) FROM events WHERE session_id = $1 AND type = 'checkout.session.opened'", &id).await;
    assert_eq!(opened, 1);
}

#[tokio::test]
async fn an_attempt_left_half_way_by_a_dead_process_is_resolved_and_the_customer_can_retry() {
    let app = TestApp::spawn().await;
    let id = new_session(&app, json!({})).await;
    let card = server::store::NewAttempt {
        provider: "sandbox",
        brand: "visa".into(),
        last4: "4242".into(),
        exp_month: 12,
        exp_year: 2034,
    };
    // What a process that died right after starting the attempt leaves behind.
    let attempt = app.state.store.start_attempt(&id, Some("ada@example.com"), &card).await.unwrap();
    assert_eq!(app.retrieve(&id).await["outcome"], "pending");
    sqlx::query("UPDATE payment_attempts SET updated_at = 1 WHERE id = $1")
        .bind(&attempt.id)
        .execute(app.state.store.reader())
        .await
        .unwrap();
    let session = app.wait_for(&id, "open", "unpaid").await;
    assert_eq!(session["last_failure"]["code"], "payment_failed");
    app.pay(&id, "4242424242424242").await;
    assert_eq!(app.retrieve(&id).await["outcome"], "paid");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payments WHERE session_id = $1", &id).await, 1);
}

#[tokio::test]
async fn the_first_visit_carries_the_version_its_watch_will_see() {
    // Opening the page records the visit, which changes the session; a page
    // carrying the version from before would reload itself while the
    // customer types.
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let (_, html) = app.page(&format!("/pay/{id}")).await;
    let current: Value =
        app.client.get(format!("{}/fn/state?session={id}", app.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(app.retrieve(&id).await["status"], "open");
    let data =
        html.split(r#"id="checkout-form-data">"#).nth(1).expect("the form's data").split("</script>").next().unwrap();
    let data: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(data["version"], current["version"], "{data}");
    assert_eq!((current["status"].as_str(), current["outcome"].as_str()), (Some("open"), Some("not_started")));
}
