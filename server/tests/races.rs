//! Races on real concurrency: a multi-threaded runtime, real HTTP, the
//! database's guards the only thing between the requests. 200 sessions,
//! each hit at once by four pays (two good cards, two declining), an expire,
//! a cancel and two refunds that cannot both fit; then the paid ones by
//! three refunds and a cancel at once. Every session is read back and must
//! make sense.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;

const SESSIONS: usize = 200;
/// Sessions hit at once, each by eight requests.
const WAVE: usize = 25;

#[derive(Default, Debug)]
struct Tally {
    answers: HashMap<(&'static str, u16), usize>,
}

impl Tally {
    fn add(&mut self, what: &'static str, status: StatusCode) {
        assert!(!status.is_server_error(), "{what} answered {status}");
        *self.answers.entry((what, status.as_u16())).or_default() += 1;
    }

    fn count(&self, what: &'static str, status: u16) -> usize {
        self.answers.get(&(what, status)).copied().unwrap_or(0)
    }
}

fn pay(app: &TestApp, id: &str, number: &'static str) -> reqwest::RequestBuilder {
    let form = [
        ("session", id),
        ("email", "race@example.com"),
        ("card_number", number),
        ("card_expiry", "12 / 34"),
        ("card_cvc", "123"),
    ];
    app.client.post(format!("{}/fn/pay", app.url)).form(&form)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_sessions_each_hit_by_eight_racing_requests_stay_consistent() {
    // Card-testing limits and the API budget would refuse this crowd from
    // one address; they have tests of their own.
    let app = TestApp::spawn_with(|c| {
        c.limits.address_failed_payments = 1_000_000;
        c.limits.card_failed_payments = 1_000_000;
        c.limits.api_rate = 1_000_000;
        c.limits.api_burst = 1_000_000;
    })
    .await;
    let mut ids = Vec::new();
    for _ in 0..SESSIONS {
        ids.push(app.session(json!({"amount": 2500})).await["id"].as_str().unwrap().to_string());
    }
    let mut tally = Tally::default();
    for wave in ids.chunks(WAVE) {
        let mut requests = Vec::new();
        for id in wave {
            let refund = json!({"session_id": id, "amount": 1500});
            requests.push(("pay", pay(&app, id, "4242424242424242")));
            requests.push(("pay", pay(&app, id, "5555555555554444")));
            requests.push(("pay", pay(&app, id, "4000000000000002")));
            requests.push(("pay", pay(&app, id, "4000000000009995")));
            requests.push(("expire", app.post(&format!("/v1/checkout/sessions/{id}/expire"))));
            requests.push(("cancel", app.post(&format!("/v1/checkout/sessions/{id}/cancel"))));
            requests.push(("refund", app.post("/v1/refunds").json(&refund)));
            requests.push(("refund", app.post("/v1/refunds").json(&refund)));
        }
        let sent = futures::future::join_all(
            requests.into_iter().map(|(what, r)| async move { (what, r.send().await.unwrap().status()) }),
        )
        .await;
        for (what, status) in sent {
            tally.add(what, status);
        }
    }

    // The paid ones, once more at once: three refunds that cannot all fit and a cancel.
    let mut paid_ids = Vec::new();
    for id in &ids {
        if app.retrieve(id).await["outcome"] == "paid" {
            paid_ids.push(id.clone());
        }
    }
    for wave in paid_ids.chunks(WAVE) {
        let mut requests = Vec::new();
        for id in wave {
            for _ in 0..3 {
                requests.push(("refund", app.post("/v1/refunds").json(&json!({"session_id": id, "amount": 1500}))));
            }
            requests.push(("cancel", app.post(&format!("/v1/checkout/sessions/{id}/cancel"))));
        }
        let sent = futures::future::join_all(
            requests.into_iter().map(|(what, r)| async move { (what, r.send().await.unwrap().status()) }),
        )
        .await;
        for (what, status) in sent {
            tally.add(what, status);
        }
    }

    let mut states: HashMap<(String, String), usize> = HashMap::new();
    for id in &ids {
        let session = app.retrieve(id).await;
        let (status, outcome) = (session["status"].as_str().unwrap(), session["outcome"].as_str().unwrap());
        *states.entry((status.into(), outcome.into())).or_default() += 1;
        let payments = app.scalar("SELECT COUNT(*) FROM payments WHERE session_id = $1", id).await;
        let refunded =
            app.scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM refunds WHERE session_id = $1", id).await;
        let failed_after_close = app
            .scalar(
                "SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1 AND status IN ('processing', 'pending', 'requires_action')",
                id,
            )
            .await;
        assert_eq!(failed_after_close, 0, "{id}: an attempt left in flight");
        match (status, outcome) {
            ("complete", "paid") => assert_eq!(payments, 1, "{id}: one payment for a paid session"),
            _ => assert_eq!(payments, 0, "{id}: {status}/{outcome} with a payment"),
        }
        assert!(refunded <= 2500, "{id}: refunded {refunded} of 2500");
        assert_eq!(session["amount_refunded"].as_i64(), Some(refunded), "{id}");
        assert!(refunded == 0 || refunded == 1500, "{id}: only one of the refunds fits");
        // The status API tells the same story.
        let partner = &app.status_api(id).await["data"];
        let expected = match (status, outcome) {
            ("complete", "paid") => ("Completed", Some("Succeeded")),
            ("complete", _) => ("Failed", Some("Failed")),
            ("expired", _) => ("Expired", Some("Expired")),
            ("cancelled", _) => ("Cancelled", Some("Cancelled")),
            _ => ("Launched", None),
        };
        assert_eq!((partner["status"].as_str().unwrap(), partner["outcome"].as_str()), expected, "{id}");
    }
    let paid = states.get(&("complete".into(), "paid".into())).copied().unwrap_or(0);
    let payments = app
        .scalar("SELECT COUNT(*) FROM payments WHERE session_id IN (SELECT id FROM checkout_sessions WHERE merchant_id = $1)", &app.merchant_id)
        .await as usize;
    let refunds = app.scalar("SELECT COUNT(*) FROM refunds WHERE merchant_id = $1", &app.merchant_id).await as usize;
    println!("races: {SESSIONS} sessions, states {states:?}; answers {:?}", tally.answers);
    println!("races: {paid} paid sessions, {payments} payments, {refunds} refunds");
    // Each close that answered 200 closed its session, and no other did.
    let closed_by_merchant = tally.count("expire", 200) + tally.count("cancel", 200);
    let expired = states.get(&("expired".into(), "not_started".into())).copied().unwrap_or(0)
        + states.get(&("expired".into(), "unpaid".into())).copied().unwrap_or(0);
    let cancelled = states.get(&("cancelled".into(), "not_started".into())).copied().unwrap_or(0)
        + states.get(&("cancelled".into(), "unpaid".into())).copied().unwrap_or(0);
    assert_eq!(tally.count("expire", 200), expired, "one 200 per expired session");
    assert_eq!(tally.count("cancel", 200), cancelled, "one 200 per cancelled session");
    assert_eq!(payments, paid, "one payment per paid session, none elsewhere");
    assert_eq!(refunds, tally.count("refund", 201), "one refund per 201");
    assert_eq!(refunds, paid, "exactly one of the racing refunds fits each paid session");
    assert!(paid > 0 && closed_by_merchant > 0, "both sides won some races: {states:?}");
}
