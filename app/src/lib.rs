//! What the server and the browser share: the lifecycle, its views, the
//! checks on customer input, and the customer's pages.
// The hosted page's view type (the card form's included) is deep enough that
// the release server build passes rustc's default query depth.
#![recursion_limit = "256"]

pub mod browser;
pub mod checks;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod desk;
pub mod failure;
pub mod i18n;
pub mod lifecycle;
pub mod money;
pub mod pages;
pub mod views;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    browser::enhance();
    // Browser tests wait for this before they type.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
