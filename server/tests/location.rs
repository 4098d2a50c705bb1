//! Where the customer opened the checkout from (seed 001): from the
//! operator's GeoIP database, or a trusted proxy's country header; never
//! from a header Kassa was not told to trust.

mod common;

use common::TestApp;
use serde_json::{json, Value};

async fn opened_from(app: &TestApp, headers: &[(&str, &str)]) -> Value {
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let mut request = app.client.get(format!("{}/pay/{id}", app.url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    assert_eq!(request.send().await.unwrap().status(), 200);
    app.retrieve(&id).await["customer"].clone()
}

#[tokio::test]
async fn the_geoip_database_tells_the_country_and_city() {
    let geo = tempfile::tempdir().unwrap();
    let database = common::geoip_database(geo.path());
    let app = TestApp::spawn_with(|config| config.geoip_db = Some(database)).await;
    // The tests reach Kassa from 127.0.0.1, which the test database puts in Amsterdam.
    let customer = opened_from(&app, &[("cf-ipcountry", "BE")]).await;
    assert_eq!(customer["location"], json!({"country": "NL", "city": "Amsterdam"}), "{customer}");
    assert_eq!(customer["ip_address"], "127.0.0.1");
}

#[tokio::test]
async fn a_trusted_proxys_country_header_is_kept_and_an_untrusted_one_ignored() {
    let trusting = TestApp::spawn_with(|config| config.country_header = Some("CF-IPCountry".into())).await;
    let customer = opened_from(&trusting, &[("cf-ipcountry", "be")]).await;
    assert_eq!(customer["location"], json!({"country": "BE", "city": null}));
    let unknown = opened_from(&trusting, &[("cf-ipcountry", "XX")]).await;
    assert_eq!(unknown["location"], Value::Null, "Cloudflare's `XX` means it does not know");

    let plain = TestApp::spawn().await;
    let customer = opened_from(&plain, &[("cf-ipcountry", "BE")]).await;
    assert_eq!(customer["location"], Value::Null, "anyone can send the header: {customer}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_the_customer() {
    let proxied = TestApp::spawn_with(|config| {
        config.trusted_proxies = vec![server::client_ip::parse_network("127.0.0.1").unwrap()];
    })
    .await;
    let customer = opened_from(&proxied, &[("x-forwarded-for", "6.6.6.6, 198.51.100.23")]).await;
    assert_eq!(customer["ip_address"], "198.51.100.23", "the right-most hop the proxy added: {customer}");

    let direct = TestApp::spawn().await;
    let customer = opened_from(&direct, &[("x-forwarded-for", "198.51.100.23")]).await;
    assert_eq!(customer["ip_address"], "127.0.0.1", "a header from anyone names nobody: {customer}");
}
