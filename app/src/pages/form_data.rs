//! What the card form starts from, and how it reaches the browser.
//!
//! A Leptos island with props carries them as JSON that the WebAssembly
//! parses with serde_json: the parser, serde's error messages and the float
//! formatting they pull in were ~45 KB of the 258 KB module. The form takes
//! no props instead: on the server it reads [`FormData`] from context, and
//! the page writes the same data into a JSON script element that the
//! browser's own `JSON.parse` reads back.

use crate::checks::Problem;
use crate::i18n::{Arg, Words};
use leptos::prelude::*;
use serde::Serialize;

/// The id of the script element holding the form's data.
pub const ELEMENT_ID: &str = "checkout-form-data";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FormData {
    /// The session paid, or "" for a payment link's form (see `link`).
    pub session_id: String,
    /// The fixed-price payment link whose form this is, else "".
    pub link: String,
    /// Where the form posts: the hosted page's or the embedded one's.
    pub action: String,
    pub email: String,
    /// Problem codes from a form the server refused.
    pub problems: Vec<String>,
    pub text: FormText,
    pub expires_at_ms: i64,
    pub now_ms: i64,
    pub version: i64,
}

/// The words the card form shows, in the customer's language. The server
/// fills them in, so the WebAssembly carries no translations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FormText {
    pub pay: String,
    pub processing: String,
    pub email: String,
    pub card_number: String,
    pub expiry: String,
    pub cvc: String,
    /// "1 field needs your attention." … for one to four fields.
    pub attention: Vec<String>,
    /// "Expires in {time}", the countdown put in place of `{time}`.
    pub expires_in: String,
    pub expired: String,
    /// (problem code, what to fix) for every problem a field can have.
    pub problems: Vec<(String, String)>,
}

impl FormText {
    /// `pay`: the pay button's words.
    pub fn new(words: &Words, pay: String) -> FormText {
        FormText {
            pay,
            processing: words.t("processing"),
            email: words.t("field-email"),
            card_number: words.t("field-card-number"),
            expiry: words.t("field-expiry"),
            cvc: words.t("field-cvc"),
            attention: (1..=4).map(|n| words.t_with("fields-need-attention", &[("count", Arg::Count(n))])).collect(),
            expires_in: words.t_with("expires-in", &[("time", "{time}".into())]),
            expired: words.t("checkout-has-expired"),
            problems: Problem::ALL
                .iter()
                .map(|p| (p.code().to_string(), words.t(&format!("problem-{}", p.code()))))
                .collect(),
        }
    }

    pub fn problem(&self, problem: Problem) -> String {
        self.problems.iter().find(|(code, _)| code == problem.code()).map(|(_, text)| text.clone()).unwrap_or_default()
    }

    pub fn attention(&self, count: usize) -> String {
        match count {
            0 => String::new(),
            n => self.attention.get(n - 1).or(self.attention.last()).cloned().unwrap_or_default(),
        }
    }
}

/// Hands `data` to the form rendered after it, and writes it into the page
/// for the browser.
#[component]
pub fn FormDataScript(data: FormData) -> impl IntoView {
    let json = script_json(&data);
    provide_context(data);
    view! { <script type="application/json" id=ELEMENT_ID inner_html=json></script> }
}

/// The data as JSON to put inside a script element, where only `</script`
/// or `<!--` could end it early: with every `<` escaped neither can occur,
/// and JSON reads the escape back as `<`.
#[cfg(not(feature = "hydrate"))]
fn script_json(data: &FormData) -> String {
    leptos::serde_json::to_string(data).unwrap_or_default().replace('<', "\\u003c")
}

// The browser build never renders the element (it is outside the island).
#[cfg(feature = "hydrate")]
fn script_json(_: &FormData) -> String {
    String::new()
}

impl FormData {
    /// On the server, what the page handed over; in the browser, what it
    /// wrote into itself.
    pub fn current() -> Option<FormData> {
        // Unreadable data would leave the server's form unhydrated (and
        // Leptos stops at the mismatch): say which part, for whoever debugs.
        #[cfg(feature = "hydrate")]
        return from_page::read().inspect_err(|part| leptos::logging::error!("#{ELEMENT_ID}: cannot read {part}")).ok();
        #[cfg(not(feature = "hydrate"))]
        use_context::<FormData>()
    }
}

#[cfg(feature = "hydrate")]
mod from_page {
    use super::{FormData, FormText, ELEMENT_ID};
    use wasm_bindgen::JsValue;

    /// The form's data, or the part of it that could not be read.
    pub fn read() -> Result<FormData, &'static str> {
        let element = leptos::prelude::document().get_element_by_id(ELEMENT_ID).ok_or("the element")?;
        let data = js_sys::JSON::parse(&element.text_content().unwrap_or_default()).map_err(|_| "its JSON")?;
        let words = field(&data, "text")?;
        Ok(FormData {
            session_id: string(&data, "session_id")?,
            link: string(&data, "link")?,
            action: string(&data, "action")?,
            email: string(&data, "email")?,
            problems: strings(&field(&data, "problems")?),
            text: FormText {
                pay: string(&words, "pay")?,
                processing: string(&words, "processing")?,
                email: string(&words, "email")?,
                card_number: string(&words, "card_number")?,
                expiry: string(&words, "expiry")?,
                cvc: string(&words, "cvc")?,
                attention: strings(&field(&words, "attention")?),
                expires_in: string(&words, "expires_in")?,
                expired: string(&words, "expired")?,
                problems: js_sys::Array::from(&field(&words, "problems")?)
                    .iter()
                    .filter_map(|pair| Some((string(&pair, "0").ok()?, string(&pair, "1").ok()?)))
                    .collect(),
            },
            expires_at_ms: number(&data, "expires_at_ms")?,
            now_ms: number(&data, "now_ms")?,
            version: number(&data, "version")?,
        })
    }

    fn field(value: &JsValue, name: &'static str) -> Result<JsValue, &'static str> {
        js_sys::Reflect::get(value, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined()).ok_or(name)
    }

    fn string(value: &JsValue, name: &'static str) -> Result<String, &'static str> {
        field(value, name)?.as_string().ok_or(name)
    }

    /// Milliseconds and versions are well inside a double's exact integers.
    fn number(value: &JsValue, name: &'static str) -> Result<i64, &'static str> {
        field(value, name)?.as_f64().map(|n| n as i64).ok_or(name)
    }

    fn strings(array: &JsValue) -> Vec<String> {
        js_sys::Array::from(array).iter().filter_map(|s| s.as_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_element_cannot_be_closed_by_what_it_carries() {
        let text = FormText {
            pay: "Pay".into(),
            processing: String::new(),
            email: String::new(),
            card_number: String::new(),
            expiry: String::new(),
            cvc: String::new(),
            attention: vec![],
            expires_in: String::new(),
            expired: String::new(),
            problems: vec![],
        };
        let data = FormData {
            session_id: "cs_1".into(),
            link: String::new(),
            action: "/fn/pay".into(),
            email: "</script><script>alert(1)</script><!--@example.com".into(),
            problems: vec![],
            text,
            expires_at_ms: 1,
            now_ms: 0,
            version: 3,
        };
        let json = script_json(&data);
        assert!(!json.contains('<'), "{json}");
        assert!(
            json.contains(r#""email":"\u003c/script>\u003cscript>alert(1)\u003c/script>\u003c!--@example.com""#),
            "{json}"
        );
        let read: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(read["email"], data.email, "JSON reads the escapes back");
        assert_eq!(read["version"], 3);
        assert_eq!(read["text"]["pay"], "Pay");
    }
}
