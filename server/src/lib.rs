//! Kassa's server: configuration, storage, the merchant and status APIs, the
//! hosted pages and the background work. `main.rs` only starts it, so tests
//! can start the very same thing on port 0.

pub mod api;
pub mod assets;
pub mod branding;
pub mod client_ip;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod domain_error;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod location;
pub mod mail;
pub mod new_link;
pub mod new_session;
pub mod origins;
pub mod pages;
pub mod payments;
pub mod provider;
pub mod provider_callbacks;
pub mod provider_route;
pub mod receipts;
pub mod reconcile;
pub mod refunding;
pub mod routes;
pub mod secrets;
pub mod series;
pub mod serve;
pub mod services;
pub mod startup;
pub mod state;
pub mod store;
pub mod time;
pub mod webhooks;
pub mod whole;
pub mod widget;
pub mod worker;

pub use routes::build_app;
pub use services::Services;
pub use startup::Kassa;
pub use state::AppState;
