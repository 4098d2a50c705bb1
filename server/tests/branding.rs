//! A site's branding: set through the API (checked, normalised, cleared),
//! shown on its checkout, and let through the page's security policy.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn brand(app: &TestApp, branding: Value) -> reqwest::Response {
    app.post(&format!("/v1/sites/{}", app.site_id)).json(&json!({ "branding": branding })).send().await.unwrap()
}

#[tokio::test]
async fn branding_is_checked_and_shown_on_the_checkout() {
    let app = TestApp::spawn().await;
    let response = brand(
        &app,
        json!({"display_name": "Acme Tea", "logo_url": "https://cdn.acme.example/logo.png", "accent_color": "#FFD400"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let site: Value = response.json().await.unwrap();
    assert_eq!(
        site["branding"],
        json!({"display_name": "Acme Tea", "logo_url": "https://cdn.acme.example/logo.png",
               "accent_color": "#ffd400", "button_text_color": "#000000"}),
        "a yellow button gets dark text"
    );

    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let response = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<img src="https://cdn.acme.example/logo.png" alt="" height="32" class="logo">"#),
        "{html}"
    );
    assert!(html.contains("<span>Acme Tea</span>") && html.contains("<title>Pay €25.00 · Acme Tea</title>"));
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(html.contains(&format!(r#"<style nonce="{nonce}">:root{{--brand:#ffd400;--on-brand:#000000}}</style>"#)));
    assert!(csp.contains("img-src 'self' data: https://cdn.acme.example;"), "{csp}");
    assert!(csp.contains(&format!("style-src 'self' 'nonce-{nonce}';")), "{csp}");
    assert!(!csp.contains("unsafe-inline"));

    // A dark accent gets white text; an empty field clears, a missing one stays.
    let site: Value = brand(&app, json!({"accent_color": "#123", "logo_url": ""})).await.json().await.unwrap();
    assert_eq!(site["branding"]["accent_color"], "#112233");
    assert_eq!(site["branding"]["button_text_color"], "#ffffff");
    assert_eq!(site["branding"]["logo_url"], Value::Null);
    assert_eq!(site["branding"]["display_name"], "Acme Tea");
    let response = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    assert!(response.headers()["content-security-policy"].to_str().unwrap().contains("img-src 'self' data:;"));
    assert!(!response.text().await.unwrap().contains("<img"));
}

#[tokio::test]
async fn bad_branding_is_refused_with_what_to_fix_and_changes_nothing() {
    let app = TestApp::spawn().await;
    for (branding, param, says) in [
        (json!({"accent_color": "red"}), "branding.accent_color", "not a colour like #2f4fd8"),
        (json!({"accent_color": "#fff;}body{display:none"}), "branding.accent_color", "not a colour"),
        (json!({"logo_url": "http://cdn.acme.example/logo.png"}), "branding.logo_url", "https://"),
        (json!({"logo_url": "javascript:alert(1)"}), "branding.logo_url", "https://"),
        (json!({"logo_url": "https://*.acme.example/l.png"}), "branding.logo_url", "no wildcards"),
        (json!({"display_name": "x".repeat(101)}), "branding.display_name", "at most 100"),
        (json!({"colour": "#fff"}), "", "unknown field"),
    ] {
        let response = app
            .post(&format!("/v1/sites/{}", app.site_id))
            .json(&json!({"name": "Renamed", "branding": branding}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{branding}");
        let body: Value = response.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{branding}: {message}");
        if !param.is_empty() {
            assert_eq!(body["error"]["param"], param);
        }
    }
    let site: Value = app.get(&format!("/v1/sites/{}", app.site_id)).send().await.unwrap().json().await.unwrap();
    assert_ne!(site["name"], "Renamed", "a refused change writes nothing");
    assert_eq!(site["branding"]["accent_color"], Value::Null);
}
