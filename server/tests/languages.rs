//! The customer's pages speak the session's language, else the browser's,
//! else English, and write amounts and dates the way that language does.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn page_in(app: &TestApp, path: &str, accept_language: Option<&str>) -> (StatusCode, String) {
    let mut request = app.client.get(format!("{}{path}", app.url));
    if let Some(header) = accept_language {
        request = request.header("accept-language", header);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

const NBSP: char = '\u{a0}';

#[tokio::test]
async fn the_hosted_page_in_each_language() {
    let app = TestApp::spawn().await;
    let cases = [
        ("en", "Pay with card", "€25.00".to_string(), "Pay €25.00"),
        ("de-DE", "Mit Karte zahlen", format!("25,00{NBSP}€"), "zahlen"),
        ("fr", "Payer par carte", format!("25,00{NBSP}€"), "Payer 25,00"),
        ("es", "Pagar con tarjeta", format!("25,00{NBSP}€"), "Pagar 25,00"),
        ("nl", "Betalen met kaart", format!("€{NBSP}25,00"), "betalen"),
    ];
    for (locale, heading, total, button) in cases {
        let id = app.session(json!({"locale": locale})).await["id"].as_str().unwrap().to_string();
        // The session's language wins over the browser's.
        let (status, html) = page_in(&app, &format!("/pay/{id}"), Some("ja, en;q=0.5")).await;
        assert_eq!(status, StatusCode::OK);
        let lang = locale.split('-').next().unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{locale}");
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{locale}: {heading}");
        assert!(html.contains(&format!("data-testid=\"total\">{total}<")), "{locale}: {total}");
        // The island's button, as rendered (the title says "Pay" too).
        let label = html
            .split_once("class=\"pay\"")
            .and_then(|(_, rest)| rest.split_once('>'))
            .map(|(_, rest)| rest.split("</button>").next().unwrap().replace("<!>", ""))
            .unwrap_or_default();
        assert!(label.contains(button) && label.contains(&total), "{locale}: the button says {label:?}");
    }
}

#[tokio::test]
async fn without_a_session_locale_the_browser_chooses_then_english() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({})).await["id"].as_str().unwrap().to_string();
    let path = format!("/pay/{id}");
    for (header, heading) in [
        (Some("fr-CH, fr;q=0.9, en;q=0.8"), "Payer par carte"),
        (Some("nl-BE"), "Betalen met kaart"),
        (Some("it-IT, es;q=0.7"), "Pagar con tarjeta"),
        (Some("ja"), "Pay with card"),
        (Some(";;;garbage"), "Pay with card"),
        (None, "Pay with card"),
    ] {
        let (_, html) = page_in(&app, &path, header).await;
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{header:?}");
    }
    let (status, html) = page_in(&app, "/pay/cs_unknown", Some("de")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Bezahlvorgang nicht gefunden"));
}

#[tokio::test]
async fn amounts_follow_the_currency_and_the_language() {
    let app = TestApp::spawn().await;
    for (body, expected) in [
        (json!({"amount": 2500, "currency": "JPY"}), "¥2,500".to_string()),
        (json!({"amount": 2500, "currency": "JPY", "locale": "de"}), format!("2.500{NBSP}¥")),
        (json!({"amount": 1500, "currency": "KWD"}), format!("KWD{NBSP}1.500")),
        (json!({"amount": 1500, "currency": "KWD", "locale": "fr"}), format!("1,500{NBSP}KWD")),
        (json!({"amount": 123456, "currency": "EUR", "locale": "es"}), format!("1234,56{NBSP}€")),
    ] {
        let id = app.session(body.clone()).await["id"].as_str().unwrap().to_string();
        let (_, html) = app.page(&format!("/pay/{id}")).await;
        assert!(html.contains(&format!("data-testid=\"total\">{expected}<")), "{body}: {expected}");
    }
}

#[tokio::test]
async fn declines_and_field_problems_are_told_in_the_customers_language() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({"locale": "nl"})).await["id"].as_str().unwrap().to_string();
    app.pay(&id, "4000000000000002").await;
    let (_, html) = app.page(&format!("/pay/{id}")).await;
    assert!(html.contains("Je betaling is niet gelukt.") && html.contains("Je kaart is geweigerd."), "{html}");

    let id = app.session(json!({"locale": "es"})).await["id"].as_str().unwrap().to_string();
    let form = [("session", id.as_str()), ("email", "not-an-email"), ("card_number", "4242"), ("card_expiry", "")];
    let response = app.submit("/fn/pay", &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(common::location(&response), format!("/pay/{id}"), "back to the form, which says what to fix");
    let (_, html) = app.page(&format!("/pay/{id}")).await;
    assert!(html.contains("not-an-email"), "the email is kept");
    for message in [
        "Introduce un correo electrónico válido",
        "El número de tu tarjeta está incompleto.",
        "Introduce la fecha de caducidad como MM / AA.",
        "4 campos necesitan tu atención.",
    ] {
        assert!(html.contains(message), "{message}");
    }
}

#[tokio::test]
async fn the_receipt_page_writes_dates_and_states_in_the_language() {
    let app = TestApp::spawn().await;
    let id = app.session(json!({"locale": "de"})).await["id"].as_str().unwrap().to_string();
    app.pay(&id, "4242424242424242").await;
    let token = app.portal_token(&id).await;
    let (status, html) = app.page(&format!("/r/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    let today = time::OffsetDateTime::now_utc();
    let month = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ][usize::from(u8::from(today.month())) - 1];
    assert!(html.contains("<h1>Beleg</h1>") && html.contains(">Bezahlt<"), "{html}");
    assert!(html.contains(&format!("Bezahlt mit Visa •••• 4242 am {}. {month} {}.", today.day(), today.year())));
}
