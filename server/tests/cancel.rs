//! The customer gives up (seed 002: "explicitly cancelled by the customer"):
//! the session is cancelled for real, the merchant hears it by event and
//! webhook, and the customer goes back to the shop, without JavaScript too.

mod common;

use common::{location, process::receiver, process::Seen, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

async fn cancelled_events(app: &TestApp, id: &str) -> Vec<Value> {
    let page: Value = app.get("/v1/events?type=checkout.session.cancelled").send().await.unwrap().json().await.unwrap();
    page["data"].as_array().unwrap().iter().filter(|e| e["session_id"] == id).cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_cancels_and_goes_back_to_the_shop_and_the_merchant_hears_it() {
    let app = TestApp::spawn().await;
    let seen = Seen::default();
    let hook = receiver(seen.clone(), 0).await;
    let endpoint = app.post_json("/v1/webhook_endpoints", json!({"url": hook, "enabled_events": ["*"]})).await;
    assert!(endpoint["id"].is_string(), "{endpoint}");
    let id = app.session(json!({"cancel_url": "https://shop.example/cart"})).await["id"].as_str().unwrap().to_string();

    let page = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(
        policy.contains("form-action 'self' https://shop.example"),
        "the redirect to the shop is allowed: {policy}"
    );
    let page = page.text().await.unwrap();
    assert!(page.contains("action=\"/fn/cancel\""), "a form, not a link: {page}");
    assert!(page.contains("Cancel and return to the shop"));

    let response = app.cancel("", &id).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "https://shop.example/cart");
    let session = app.retrieve(&id).await;
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("cancelled"), Some("not_started")));
    let status = app.status_api(&id).await;
    assert_eq!(
        (status["data"]["status"].as_str(), status["data"]["outcome"].as_str()),
        (Some("Cancelled"), Some("Cancelled"))
    );
    let events = cancelled_events(&app, &id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["data"]["closed_by"], "customer");
    let event_id = events[0]["id"].as_str().unwrap().to_string();
    for _ in 0..100 {
        if seen.lock().unwrap().contains_key(&event_id) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen.lock().unwrap().get(&event_id), Some(&1), "the webhook went out once");

    // The page now says so, and nothing more can be paid or cancelled.
    let (_, page) = app.page(&format!("/pay/{id}")).await;
    assert!(page.contains("data-state=\"cancelled\"") && !page.contains("/fn/cancel\""), "{page}");
    let paid = app.pay(&id, "4242424242424242").await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM payment_attempts WHERE session_id = $1", &id).await, 0);
    let again = app.cancel("", &id).await;
    assert_eq!(location(&again), format!("/pay/{id}"));
    assert_eq!(cancelled_events(&app, &id).await.len(), 1, "one cancel, one event");
}

#[tokio::test]
async fn a_paid_session_stays_paid_when_its_old_page_is_cancelled() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({"cancel_url": "https://shop.example/cart"})).await["id"].as_str().unwrap().to_string();
    app.pay(&id, "4242424242424242").await;
    let response = app.cancel("", &id).await;
    assert_eq!(location(&response), format!("/pay/{id}"), "back to the page that says it is paid");
    let session = app.retrieve(&id).await;
    assert_eq!((session["status"].as_str(), session["outcome"].as_str()), (Some("complete"), Some("paid")));
    assert!(cancelled_events(&app, &id).await.is_empty());
}

#[tokio::test]
async fn in_the_widget_a_cancel_shows_the_cancelled_checkout_the_merchants_page_hears() {
    let app = TestApp::spawn().await;
    // No cancel URL: the hosted page has nowhere to send the customer, so it offers no cancel.
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let (_, hosted) = app.page(&format!("/pay/{id}")).await;
    assert!(!hosted.contains("/fn/cancel\""), "{hosted}");
    let (_, framed) = app.page(&format!("/embed/pay/{id}")).await;
    assert!(
        framed.contains("action=\"/embed/fn/cancel\"")
            && framed.contains(&format!("value=\"{id}\""))
            && framed.contains("Cancel payment")
    );
    let response = app.cancel("/embed", &id).await;
    assert_eq!(location(&response), format!("/embed/pay/{id}"));
    let (_, framed) = app.page(&format!("/embed/pay/{id}")).await;
    assert!(framed.contains("data-kassa-state=\"cancelled\""), "what embed.js tells the widget: {framed}");
    assert_eq!(app.retrieve(&id).await["status"], "cancelled");
}

#[tokio::test]
async fn a_cancel_sent_from_another_site_changes_nothing() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({"cancel_url": "https://shop.example/cart"})).await["id"].as_str().unwrap().to_string();
    let response = app
        .client
        .post(format!("{}/fn/cancel", app.url))
        .form(&[("session", id.as_str())])
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.retrieve(&id).await["status"], "open");
    let unknown = app.cancel("", "cs_nonexistent").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
