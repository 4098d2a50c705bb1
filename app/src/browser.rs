//! What only happens in the browser: the card form's clock, watch and focus,
//! and the dashboard's copy buttons and live lists. The server renders the
//! same pages without running any of it, so there it does nothing.

use crate::checks::YearMonth;
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod imp {
    use super::*;
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    pub fn today() -> YearMonth {
        let now = js_sys::Date::new_0();
        YearMonth { year: now.get_full_year() as u16, month: now.get_month() as u8 + 1 }
    }

    /// Focuses the element on the next frame, once the state just set (a
    /// field's error) is on the page, so a screen reader reads it with it.
    pub fn focus(id: &str) {
        let id = id.to_string();
        request_animation_frame(move || {
            let element = document().get_element_by_id(&id);
            if let Some(el) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        });
    }

    fn copy_text(text: &str) {
        let _ = window().navigator().clipboard().write_text(text);
    }

    fn reload() {
        let _ = window().location().reload();
    }

    /// Ticks the countdown and asks the server every 1.5 s whether the
    /// session changed (paid in another tab, cancelled by the merchant…).
    pub fn watch_session(session_id: &str, version: i64, expires_at_ms: i64, now: RwSignal<i64>, busy: RwSignal<bool>) {
        let offset = now.get_untracked() - js_sys::Date::now() as i64;
        now.set(js_sys::Date::now() as i64 + offset);
        set_interval(
            move || {
                let t = js_sys::Date::now() as i64 + offset;
                now.set(t);
                if t >= expires_at_ms && !busy.get_untracked() {
                    reload();
                }
            },
            Duration::from_secs(1),
        );
        let url = crate::pages::watch_url(session_id);
        set_interval(
            move || {
                let url = url.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(current) = fetch_text(&url).await.and_then(|text| stored_version(&text)) {
                        if current != version && !busy.get_untracked() {
                            reload();
                        }
                    }
                });
            },
            Duration::from_millis(1500),
        );
    }

    /// The `version` of the session the server says is stored now.
    fn stored_version(json: &str) -> Option<i64> {
        let state = js_sys::JSON::parse(json).ok()?;
        js_sys::Reflect::get(&state, &"version".into()).ok()?.as_f64().map(|v| v as i64)
    }

    /// What plain server-rendered HTML asks for with data attributes: a
    /// `data-poll` region is fetched again every 3 s and swapped in, a
    /// `data-copy` button copies its text. Run once the page has loaded.
    pub fn enhance() {
        if let Ok(regions) = document().query_selector_all("[data-poll]") {
            for region in (0..regions.length()).filter_map(|i| regions.item(i)?.dyn_into::<web_sys::Element>().ok()) {
                if let Some(url) = region.get_attribute("data-poll") {
                    poll_html(url, Duration::from_secs(3), region);
                }
            }
        }
        // One listener for every copy button, present or swapped in later.
        let _ = window_event_listener(leptos::ev::click, |ev| {
            let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            if let Some(button) = target.and_then(|t| t.closest("button[data-copy]").ok().flatten()) {
                copy_text(&button.get_attribute("data-copy").unwrap_or_default());
                button.set_text_content(Some("Copied"));
            }
        });
    }

    fn poll_html(url: String, every: Duration, region: web_sys::Element) {
        set_interval(
            move || {
                let (url, region) = (url.clone(), region.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(html) = fetch_text(&url).await {
                        if region.inner_html() != html {
                            region.set_inner_html(&html);
                        }
                    }
                });
            },
            every,
        );
    }

    async fn fetch_text(url: &str) -> Option<String> {
        let response = JsFuture::from(window().fetch_with_str(url)).await.ok()?;
        let response: web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.text().ok()?).await.ok()?.as_string()
    }
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    use super::*;

    pub fn today() -> YearMonth {
        YearMonth { year: 0, month: 0 }
    }
    pub fn focus(_id: &str) {}
    pub fn enhance() {}
    pub fn watch_session(_: &str, _: i64, _: i64, _: RwSignal<i64>, _: RwSignal<bool>) {}
}

pub use imp::{enhance, focus, today, watch_session};
