//! The merchant API (`/v1`) and the partner status API, with the OpenAPI
//! document built from the same route list, so a route cannot go undocumented.

mod document;
mod events;
mod extract;
pub mod idempotency;
mod links;
mod methods;
mod object;
mod provider_routes;
pub mod rate_limit;
mod refunds;
mod sessions;
mod sites;
mod status;
mod webhooks;

pub use extract::ApiKey;
pub use links::LinkObject;

use crate::AppState;
use axum::{routing::get, Json, Router};
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(OpenApi)]
#[openapi(
    info(title = "Kassa API", description = "Checkout sessions, and the status API that is their single source of truth."),
    modifiers(&BearerAuth),
    tags((name = "sessions", description = "Checkout sessions"), (name = "refunds", description = "Refunds"), (name = "status", description = "Partner status API"),
        (name = "events", description = "Events"), (name = "payment links", description = "Payment links"), (name = "webhooks", description = "Webhook endpoints and deliveries"),
        (name = "sites", description = "Sites and the origins that may embed their checkout"),
        (name = "payment methods", description = "Cards customers saved for later payments"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("sk_test_…").build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The documented routes and their document.
pub fn router() -> (Router<AppState>, serde_json::Value) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(sessions::create_session, sessions::list_sessions))
        .routes(routes!(sessions::retrieve_session))
        .routes(routes!(sessions::expire_session))
        .routes(routes!(sessions::cancel_session))
        .routes(routes!(sessions::capture_session))
        .routes(routes!(refunds::create_refund))
        .routes(routes!(refunds::list_refunds))
        .routes(routes!(status::session_status))
        .routes(routes!(links::create_link, links::list_links))
        .routes(routes!(links::retrieve_link, links::update_link))
        .routes(routes!(events::list_events))
        .routes(routes!(events::retrieve_event))
        .routes(routes!(webhooks::create_endpoint, webhooks::list_endpoints))
        .routes(routes!(webhooks::retrieve_endpoint, webhooks::update_endpoint, webhooks::delete_endpoint))
        .routes(routes!(webhooks::roll_secret))
        .routes(routes!(webhooks::test_endpoint))
        .routes(routes!(webhooks::list_deliveries))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(sites::list_sites))
        .routes(routes!(sites::retrieve_site, sites::update_site))
        .routes(routes!(provider_routes::retrieve_route, provider_routes::set_route))
        .routes(routes!(methods::list_methods))
        .routes(routes!(methods::retrieve_method))
        .routes(routes!(methods::detach_method))
        .split_for_parts();
    let doc = document::bounded(&doc);
    let served = doc.clone();
    // Every answer is one merchant's data as it is now: no cache keeps it.
    let router = router.layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    ));
    (router.route("/openapi.json", get(move || async move { Json(served) })), doc)
}
