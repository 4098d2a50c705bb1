//! `/widget.js` runs on merchants' pages and says a few words of its own
//! (the fallback link, the frame's title, the buy button, the dialog). They
//! are Fluent messages like every other word a customer reads: the file in
//! `public/` carries English between two markers, and at start Kassa writes
//! every language's words there, in the copy it serves.

use crate::i18n::{words, LANGUAGES};
use axum::{
    body::Bytes,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

/// In the order `widget.js` reads them (`say[0]` … `say[4]`).
const MESSAGES: [&str; 5] = ["widget-unavailable", "widget-open", "widget-frame-title", "widget-buy", "widget-close"];
const MARKER: &str = "/*words*/";

/// `{"en": [...], "de": [...], ...}`.
fn table() -> String {
    let table: serde_json::Map<String, serde_json::Value> = LANGUAGES
        .iter()
        .map(|lang| {
            let w = words(lang);
            (lang.to_string(), MESSAGES.iter().map(|id| w.t(id)).collect::<Vec<_>>().into())
        })
        .collect();
    serde_json::Value::Object(table).to_string()
}

/// The script with every language's words between its markers; None when
/// it has no such pair (then the file is served as it is).
fn with_words(script: &str) -> Option<String> {
    let (before, rest) = script.split_once(MARKER)?;
    let (_, after) = rest.split_once(MARKER)?;
    Some(format!("{before}{}{after}", table()))
}

/// The widget as Kassa serves it, read from the built site at start.
pub fn load(site_root: &str) -> Option<Bytes> {
    let script = std::fs::read_to_string(format!("{site_root}/widget.js")).ok()?;
    let served = with_words(&script);
    if served.is_none() {
        tracing::warn!("{site_root}/widget.js has no {MARKER} pair: served in English only");
    }
    served.map(Bytes::from)
}

/// Routed only when [`load`] found the script.
pub async fn serve(State(state): State<crate::AppState>) -> Response {
    let script = state.widget.clone().unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], script).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public_widget() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/widget.js")).unwrap()
    }

    #[test]
    fn every_language_gets_the_widgets_words() {
        let served = with_words(&public_widget()).expect("public/widget.js marks where its words go");
        assert!(!served.contains(MARKER));
        let table: serde_json::Value =
            serde_json::from_str(served.split("var WORDS = ").nth(1).unwrap().split(";\n").next().unwrap()).unwrap();
        for lang in LANGUAGES {
            let said: Vec<&str> = table[lang].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            assert_eq!(said.len(), MESSAGES.len(), "{lang}");
            assert!(said.iter().all(|s| !s.is_empty()), "{lang}: {said:?}");
        }
        assert_eq!(table["de"][3], "Jetzt kaufen");
        assert_eq!(table["nl"][4], "Sluiten");
    }

    #[test]
    fn the_english_in_the_file_is_the_english_served() {
        let file = public_widget();
        let inline = file.split(MARKER).nth(1).unwrap();
        let inline: serde_json::Value = serde_json::from_str(inline).expect("the file's own words are JSON");
        let served: serde_json::Value = serde_json::from_str(&table()).unwrap();
        assert_eq!(inline["en"], served["en"], "public/widget.js says what en/checkout.ftl says");
    }
}
