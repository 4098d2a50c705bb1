//! What the HTTP layer holds: the [`Services`], and beside them what only
//! requests need (Leptos's options, the built assets, the API's budget,
//! where a request comes from). Handlers take it whole or, through
//! `FromRef`, just the part they need.

use crate::{
    api::rate_limit::ApiLimiter, assets::Assets, client_ip::TrustedProxies, location::Locator, services::Services,
};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::{ops::Deref, sync::Arc};

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub leptos: LeptosOptions,
    /// The built CSS, JS and WASM under their hashed names.
    pub assets: Arc<Assets>,
    /// `/widget.js` with every language's words (see `widget.rs`).
    pub widget: Option<axum::body::Bytes>,
    /// The proxies whose forwarding headers name the client.
    pub proxies: Arc<TrustedProxies>,
    /// Where customers open the checkout from.
    pub locator: Arc<Locator>,
    pub api_limiter: Arc<ApiLimiter>,
}

/// A handler reads `state.store` as it reads `state.services.store`: the
/// services are what most of them use, and the one way to reach them.
impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}

impl FromRef<AppState> for Services {
    fn from_ref(state: &AppState) -> Services {
        state.services.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos.clone()
    }
}
