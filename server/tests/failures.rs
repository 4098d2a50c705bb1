//! When something fails on our side, or is not there: a panicking handler
//! answers the page shell in the customer's language (the API, its JSON
//! error), logged with the trace id the page shows; unknown paths get the
//! not-found page in the shell; `/` says what Kassa is.

mod common;

use axum::routing::get;
use common::TestApp;
use reqwest::StatusCode;
use std::sync::{Arc, Mutex};

/// Everything this test binary logs, to find a panic's trace id in.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_log() -> Log {
    let log = Log::default();
    let writer = log.clone();
    tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).init();
    log
}

async fn boom() -> &'static str {
    panic!("a bug in a handler")
}

#[tokio::test]
async fn a_panic_shows_the_failure_page_in_the_customers_language_and_logs_its_trace_id() {
    let log = capture_log();
    let extra = axum::Router::new().route("/pay/{id}/boom", get(boom)).route("/v1/boom", get(boom));
    let app = TestApp::spawn_serving(|_| {}, extra).await;

    let response = app.client.get(format!("{}/pay/cs_x/boom", app.url)).header("accept-language", "de-AT, en;q=0.5");
    let response = response.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let trace = response.headers()["x-trace-id"].to_str().unwrap().to_string();
    let page = response.text().await.unwrap();
    assert!(page.contains("<html lang=\"de\""), "{page}");
    assert!(page.contains("<main class=\"checkout\">"), "the page shell: {page}");
    assert!(page.contains("Bei uns ist etwas schiefgelaufen"), "{page}");
    assert!(page.contains(&format!("Referenz: {trace}")), "the reference to quote: {page}");
    assert!(!page.contains("panicked") && !page.contains("a bug in a handler"), "{page}");
    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let line = logged.lines().find(|l| l.contains("a bug in a handler")).expect("the panic is logged");
    assert!(line.contains(&trace), "logged with its trace id: {line}");

    let response = app.get("/v1/boom").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let trace = response.headers()["x-trace-id"].to_str().unwrap().to_string();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["type"], "api_error");
    assert_eq!(body["traceId"], trace.as_str());

    // Kassa goes on serving after a panic.
    let (status, _) = app.page("/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_path_gets_the_not_found_page_in_its_shell_and_the_api_a_json_404() {
    let app = TestApp::spawn().await;
    let id = app.session(serde_json::json!({})).await["id"].as_str().unwrap().to_string();
    for path in [format!("/pay/{id}/typo"), "/pay".into(), "/no/such/page".into()] {
        let response = app.client.get(format!("{}{path}", app.url)).header("accept-language", "fr").send().await;
        let response = response.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("<html lang=\"fr\"") && page.contains("<main class=\"checkout\">"), "{path}: {page}");
        assert!(page.contains("Paiement introuvable"), "{path}: {page}");
    }
    let posted = app.client.post(format!("{}/no/such/page", app.url)).send().await.unwrap();
    assert_eq!(posted.status(), StatusCode::NOT_FOUND);
    let response = app.get("/v1/no_such_things").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "resource_missing");
    assert!(body["error"]["message"].as_str().unwrap().contains("/v1/no_such_things"), "{body}");
}

#[tokio::test]
async fn the_home_page_says_what_kassa_is_and_where_to_go() {
    let app = TestApp::spawn().await;
    let (status, page) = app.page("/").await;
    assert_eq!(status, StatusCode::OK);
    for wanted in
        ["href=\"/dashboard\"", "href=\"/openapi.json\"", "Try it", &format!("{}/v1/checkout/sessions", app.url)]
    {
        assert!(page.contains(wanted), "{wanted}: {page}");
    }
    let (status, document) = app.page("/openapi.json").await;
    assert_eq!(status, StatusCode::OK, "{document}");
}
