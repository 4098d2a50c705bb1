//! The application's routes and the layers every answer goes through.

use crate::{api, dashboard, pages, state::AppState};
use axum::{
    handler::HandlerWithoutStateExt,
    http::{header, HeaderValue, StatusCode},
    middleware,
    routing::{get, post},
    Router,
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{
        predicate::{NotForContentType, Predicate},
        CompressionLayer, DefaultPredicate,
    },
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
};

pub fn build_app(state: AppState) -> Router {
    build_app_with(state, Router::new())
}

/// The application with `extra` routes beside its own, under the same
/// layers (the tests add a route that panics).
pub fn build_app_with(state: AppState, extra: Router<AppState>) -> Router {
    let site = ServeDir::new(state.leptos.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .call_fallback_on_method_not_allowed(true);
    let (api, _) = api::router();
    let api = api.route_layer(middleware::from_fn_with_state(state.clone(), api::rate_limit::per_key));
    // Browsers learn to use HTTPS only when Kassa is reached over it.
    let hsts = state.public_url.starts_with("https://").then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        )
    });
    let mut routes = Router::new()
        .merge(api)
        .merge(pages::router(state.clone()))
        .merge(dashboard::router(state.clone()))
        .merge(extra)
        .route("/providers/{provider}/webhook/{site}", post(crate::provider_callbacks::receive))
        .route("/healthz", get(|| async { "ok" }));
    // Else the file is served as it is, in English.
    if state.widget.is_some() {
        routes = routes.route("/widget.js", get(crate::widget::serve));
    }
    routes
        .fallback_service(site.not_found_service(crate::pages::failure::not_found.into_service()))
        // The streamed CSV export arrives empty through the compressor, so it
        // goes out as it is (see the notes on issue 3).
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(NotForContentType::new("text/csv"))))
        // A request's whole answer may not take longer (its head: `serve.rs`).
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, crate::serve::REQUEST_TIMEOUT))
        .layer(CatchPanicLayer::custom(crate::pages::failure::on_panic))
        // Outside the panic catcher, so a panic's answer is worded too.
        .layer(middleware::from_fn_with_state(state.clone(), crate::pages::failure::explain_failures))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, deny_framing))
        .layer(tower::util::option_layer(hsts))
        .layer(middleware::from_fn_with_state(state.assets.clone(), crate::assets::serve))
        .layer(middleware::from_fn(crate::error::with_trace_id))
        .with_state(state)
}

/// `X-Frame-Options: DENY` for browsers that predate CSP, except on the
/// pages whose policy lets the widget's listed origins frame them.
fn deny_framing<B>(response: &axum::http::Response<B>) -> Option<HeaderValue> {
    let policy = response.headers().get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok());
    let framable = policy.is_some_and(|p| p.contains("frame-ancestors") && !p.contains("frame-ancestors 'none'"));
    (!framable).then(|| HeaderValue::from_static("DENY"))
}
