//! Security headers on every page: a nonce-based Content-Security-Policy on
//! the HTML pages, and the basics on everything.

mod common;

use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn every_page_carries_its_security_headers() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    for path in [format!("/pay/{id}"), "/pay/cs_unknown".into(), "/dashboard/sign-in".into()] {
        let response = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
        let headers = response.headers().clone();
        let csp = headers["content-security-policy"].to_str().unwrap().to_string();
        let html = response.text().await.unwrap();
        for part in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "'wasm-unsafe-eval'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce");
        assert!(nonce.len() >= 16);
        for script in html.split("<script").skip(1) {
            assert!(
                script.starts_with(&format!(" type=\"module\" nonce=\"{nonce}\""))
                    || script.starts_with(&format!(" nonce=\"{nonce}\"")),
                "{path}: every inline script carries the nonce"
            );
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain http");
    }
    let second = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    let first = app.client.get(format!("{}/pay/{id}", app.url)).send().await.unwrap();
    assert_ne!(
        first.headers()["content-security-policy"],
        second.headers()["content-security-policy"],
        "a new nonce per page"
    );
    let api = app.get(&format!("/v1/checkout/sessions/{id}")).send().await.unwrap();
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn https_deployments_send_hsts() {
    let app = TestApp::spawn_with(|c| c.public_url = Some("https://pay.shop.example".into())).await;
    let response = app.client.get(format!("{}/healthz", app.url)).send().await.unwrap();
    assert_eq!(response.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
}
