//! Card testing: a session takes a bounded number of failed tries, failures
//! are counted per address and per card across sessions (refused before the
//! provider once over), and declines stop naming what a tester wants to know.

mod common;

use common::process::list_all;
use common::{location, TestApp};
use serde_json::json;

const DECLINED: &str = "4000000000000002";
const NO_FUNDS: &str = "4000000000009995";
const WRONG_CVC: &str = "4000000000000127";
const EXPIRED: &str = "4000000000000069";
const PROCESSING_ERROR: &str = "4000000000000119";
const GOOD: &str = "4242424242424242";

/// Each attempt's failure code, oldest first (what the merchant sees).
async fn attempt_codes(app: &TestApp, session: &str) -> Vec<Option<String>> {
    sqlx::query_scalar("SELECT failure_code FROM payment_attempts WHERE session_id = $1 ORDER BY created_at, id")
        .bind(session)
        .fetch_all(app.state.store.reader())
        .await
        .unwrap()
}

/// The decline the customer is shown on the checkout page.
fn decline_of(page: &str) -> String {
    let start = page.find(r#"data-testid="decline""#).expect("a decline is shown");
    page[start..].split("</div>").next().unwrap().to_string()
}

async fn event_types(app: &TestApp, session: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT type FROM events WHERE session_id = $1 ORDER BY created_at, id")
        .bind(session)
        .fetch_all(app.state.store.reader())
        .await
        .unwrap()
}

/// Pays from the client address `ip`, as a trusted proxy in front of Kassa
/// reports it.
async fn pay_from(app: &TestApp, session: &str, number: &str, ip: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/fn/pay", app.url))
        .header("x-forwarded-for", ip)
        .form(&[
            ("session", session),
            ("email", "ada@example.com"),
            ("card_number", number),
            ("card_expiry", "12 / 34"),
            ("card_cvc", "123"),
        ])
        .send()
        .await
        .unwrap()
}

fn behind_a_proxy(config: &mut server::config::Config) {
    config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_closes_after_five_failed_attempts_and_says_so() {
    let app = TestApp::spawn_with(behind_a_proxy).await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    // The first decline names its reason; after that a telling reason is a
    // plain "declined" for the customer, while the merchant keeps the code.
    let tries = [NO_FUNDS, NO_FUNDS, WRONG_CVC, PROCESSING_ERROR];
    let expected = [
        "Your card has insufficient funds.",
        "Your card was declined.",
        "Your card was declined.",
        "An error occurred while processing your card.",
    ];
    for (i, (number, shown)) in tries.iter().zip(expected).enumerate() {
        let declined = pay_from(&app, &id, number, &format!("203.0.113.{i}")).await;
        assert_eq!(location(&declined), format!("/pay/{id}"));
        let (_, page) = app.page(&format!("/pay/{id}")).await;
        let decline = decline_of(&page);
        assert!(decline.contains(shown), "try {i}: {decline}");
        assert!(i == 0 || !decline.contains("insufficient") && !decline.contains("security code"), "try {i}");
        assert!(page.contains(r#"name="card_number""#), "try {i}: still open");
    }
    let fifth = pay_from(&app, &id, EXPIRED, "203.0.113.9").await;
    assert_eq!(location(&fifth), format!("/pay/{id}"));
    let session = app.retrieve(&id).await;
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("complete"), Some("unpaid")));
    let status = &app.status_api(&id).await["data"];
    assert_eq!((status["status"].as_str(), status["outcome"].as_str()), (Some("Failed"), Some("Failed")));
    assert!(status["failureReason"].as_str().unwrap().contains("too many failed attempts"), "{status}");

    let (_, page) = app.page(&format!("/pay/{id}")).await;
    assert!(page.contains("This checkout is closed after too many declined payments."), "{page}");
    assert!(!page.contains(r#"name="card_number""#), "no form any more");
    let sixth = pay_from(&app, &id, GOOD, "203.0.113.10").await;
    assert_eq!(location(&sixth), format!("/pay/{id}"));
    assert_eq!(app.retrieve(&id).await["outcome"], "unpaid", "a good card after the lock is not charged");

    let codes = attempt_codes(&app, &id).await;
    let expected = ["insufficient_funds", "insufficient_funds", "incorrect_cvc", "processing_error", "expired_card"];
    assert_eq!(codes, expected.map(|c| Some(c.to_string())), "five attempts, each with its exact code");
    let events = event_types(&app, &id).await;
    let blocked = events.iter().position(|e| e == "checkout.session.blocked").expect("a blocked event");
    assert_eq!(events[blocked + 1], "checkout.session.completed");
    assert_eq!(events.iter().filter(|e| *e == "payment_attempt.failed").count(), 5);

    // The merchant's timeline says it in words.
    let browser = common::browser::signed_in(&app).await;
    let (_, detail) = browser.get(&format!("/dashboard/sessions/{id}")).await;
    assert!(detail.contains("Blocked: too many failed attempts"), "{detail}");
    assert!(detail.contains("incorrect_cvc"), "the merchant sees the exact code");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_from_one_address_are_refused_before_the_provider_across_sessions() {
    let app = TestApp::spawn_with(|c| {
        behind_a_proxy(c);
        c.limits.address_failed_payments = 3;
    })
    .await;
    let address = "198.51.100.7";
    // A payment that goes through is not held against the address.
    let good = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    pay_from(&app, &good, GOOD, address).await;
    assert_eq!(app.retrieve(&good).await["outcome"], "paid");
    let cards = [DECLINED, NO_FUNDS, WRONG_CVC];
    for number in cards {
        let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
        pay_from(&app, &id, number, address).await;
        assert_ne!(attempt_codes(&app, &id).await[0].as_deref(), Some("too_many_failures"), "{number}");
    }
    // Over the limit a good card is refused too: the provider was not asked.
    let refused = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    pay_from(&app, &refused, GOOD, address).await;
    assert_eq!(app.retrieve(&refused).await["outcome"], "unpaid");
    assert_eq!(attempt_codes(&app, &refused).await, vec![Some("too_many_failures".to_string())]);
    let (_, page) = app.page(&format!("/pay/{refused}")).await;
    assert!(page.contains("Too many payments were declined lately."), "{page}");
    // Another address is not affected.
    let other = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    pay_from(&app, &other, GOOD, "198.51.100.8").await;
    assert_eq!(app.retrieve(&other).await["outcome"], "paid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_of_one_card_are_refused_from_any_address() {
    let app = TestApp::spawn_with(|c| {
        behind_a_proxy(c);
        c.limits.card_failed_payments = 2;
    })
    .await;
    for i in 0..2 {
        let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
        pay_from(&app, &id, NO_FUNDS, &format!("192.0.2.{i}")).await;
        assert_eq!(attempt_codes(&app, &id).await, vec![Some("insufficient_funds".to_string())]);
    }
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    pay_from(&app, &id, NO_FUNDS, "192.0.2.99").await;
    assert_eq!(attempt_codes(&app, &id).await, vec![Some("too_many_failures".to_string())]);
    // Another card from the same fresh address still reaches the provider.
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    pay_from(&app, &id, GOOD, "192.0.2.99").await;
    assert_eq!(app.retrieve(&id).await["outcome"], "paid");
    // The card is known by a keyed hash only.
    let stored = app.everything_stored().await;
    assert!(stored.contains("pay-card:") && !stored.contains(NO_FUNDS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_tries_on_one_session_cannot_pass_the_lock() {
    let app = TestApp::spawn_with(|c| c.limits.session_failed_attempts = 3).await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    // Waves of parallel declines: each wave one winner at most (one attempt
    // in flight), and never more failed attempts than the session allows.
    for _ in 0..6 {
        let tries: Vec<_> = (0..8).map(|_| app.pay(&id, DECLINED)).collect();
        for answer in futures::future::join_all(tries).await {
            assert!(answer.status().is_redirection(), "{}", answer.status());
        }
    }
    assert_eq!(attempt_codes(&app, &id).await.len(), 3);
    let session = app.retrieve(&id).await;
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("complete"), Some("unpaid")));
}

/// Runs `tries` posts, eight at a time; where each sent the browser. Every
/// try is answered with a page to go to, never an error.
async fn script(tries: usize, post: impl Fn(usize) -> reqwest::RequestBuilder) -> Vec<String> {
    let mut sent_to = Vec::new();
    for wave in (0..tries).collect::<Vec<_>>().chunks(8) {
        let answers = futures::future::join_all(wave.iter().map(|i| post(*i).send())).await;
        for answer in answers {
            let answer = answer.unwrap();
            assert_eq!(answer.status(), 303);
            sent_to.push(location(&answer));
        }
    }
    sent_to
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_scripted_card_tester_with_1000_declines_gets_ten_answers() {
    // The defaults: 5 failures a session, 10 an address, 5 a card, 30 link sessions an hour.
    let app = TestApp::spawn().await;
    let cards = [DECLINED, NO_FUNDS, WRONG_CVC, EXPIRED, PROCESSING_ERROR];
    let form = |i: usize| {
        [
            ("session", ""),
            ("link", ""),
            ("email", "tester@example.com"),
            ("card_number", cards[i % 5]),
            ("card_expiry", "12 / 34"),
            ("card_cvc", "123"),
        ]
    };

    // 200 declines against one session.
    let session = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let pay_url = format!("{}/fn/pay", app.url);
    let on_session = |i| {
        let mut form = form(i);
        form[0].1 = &session;
        app.client.post(&pay_url).form(&form)
    };
    script(200, on_session).await;
    assert_eq!(attempt_codes(&app, &session).await.len(), 5, "the session took five tries");

    // 800 more across sessions of one payment link, from the same address.
    let link: serde_json::Value =
        app.post_json("/v1/payment_links", json!({"title": "Gift card", "currency": "EUR", "amount": 2500})).await;
    let link_url = link["url"].as_str().unwrap().to_string();
    let link_path = &link_url[link_url.find("/l/").unwrap()..];
    let slug = link_path.trim_start_matches("/l/").to_string();
    let on_link = |i| {
        let mut form = form(i);
        form[1].1 = &slug;
        app.client.post(&pay_url).form(&form)
    };
    let sent_to = script(800, on_link).await;
    let made = sent_to.iter().filter(|to| to.starts_with("/pay/cs_")).count();
    let refused = sent_to.iter().filter(|to| *to == link_path).count();
    assert_eq!((made, refused), (30, 770), "30 sessions an hour from one address");
    let (_, page) = app.page(link_path).await;
    assert!(page.contains("Too many checkouts were started from your network"), "{page}");

    // What reached the provider, and what the merchant sees.
    let codes: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT a.failure_code FROM payment_attempts a JOIN checkout_sessions s ON s.id = a.session_id
         WHERE s.merchant_id = $1",
    )
    .bind(&app.merchant_id)
    .fetch_all(app.state.store.reader())
    .await
    .unwrap();
    let held = codes.iter().filter(|c| c.as_deref() == Some("too_many_failures")).count();
    let answered = codes.len() - held;
    let failed_events = list_all(&app.client, &app.url, &app.key, "/v1/events?type=payment_attempt.failed").await.len();
    let blocked = app
        .scalar(
            "SELECT COUNT(*) FROM events WHERE merchant_id = $1 AND type = 'checkout.session.blocked'",
            &app.merchant_id,
        )
        .await;
    println!(
        "card testing: 1000 scripted declines; {answered} reached the provider, {held} refused before it, \
         {} tries refused by the locked session, {refused} link posts refused, {made} link sessions; \
         the merchant sees {failed_events} payment_attempt.failed events and {blocked} blocked session",
        200 - 5,
    );
    assert_eq!(answered, 10, "the address's ten failures, and no more, reached the provider");
    assert_eq!(held, 25);
    assert_eq!(failed_events, 35);
    assert_eq!(blocked, 1);
    // A good card from that address is held too, until the window is over.
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    app.pay(&id, GOOD).await;
    assert_eq!(app.retrieve(&id).await["outcome"], "unpaid");
}
