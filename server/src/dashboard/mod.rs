//! The merchant's dashboard: sign-in, the sessions list, a session's detail
//! and the actions on it. Every read and write is scoped to the signed-in
//! merchant; another merchant's session is simply not found.

mod actions;
pub mod auth;
mod detail;
mod export;
mod links;
mod list;
mod overview;
mod sites;
mod webhooks;

use crate::AppState;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};

pub fn router(state: AppState) -> Router<AppState> {
    // Signing in from another site's form (login CSRF) is refused like the customers' forms.
    let sign_in = get(auth::show_sign_in)
        .post(auth::sign_in)
        .route_layer(axum::middleware::from_fn_with_state(state, crate::pages::refuse_cross_site));
    Router::new()
        .route("/dashboard", get(list::sessions))
        .route("/dashboard/sessions.csv", get(export::export))
        .route("/dashboard/overview", get(overview::overview))
        .route("/dashboard/rows", get(list::rows))
        .route("/dashboard/links", get(links::show).post(links::create))
        .route("/dashboard/links/{id}/{verb}", post(links::act))
        .route("/dashboard/sites", get(sites::show))
        .route("/dashboard/sites/{id}", post(sites::update))
        .route("/dashboard/webhooks", get(webhooks::show).post(webhooks::create))
        .route("/dashboard/webhooks/{id}/{verb}", post(webhooks::act))
        .route("/dashboard/sign-in", sign_in)
        .route("/dashboard/sign-out", post(auth::sign_out))
        .route("/dashboard/sessions/{id}", get(detail::session))
        .route("/dashboard/sessions/{id}/refund", post(actions::refund))
        .route("/dashboard/sessions/{id}/expire", post(actions::expire))
        .route("/dashboard/sessions/{id}/cancel", post(actions::cancel))
        .route("/dashboard/sessions/{id}/recover", post(actions::recover))
        .route("/dashboard/sessions/{id}/receipt", post(actions::resend_receipt))
        .route("/dashboard/sessions/{id}/deliveries/{delivery}/redeliver", post(actions::redeliver))
}

pub(crate) fn server_error(error: impl std::fmt::Debug) -> Response {
    tracing::error!(error = ?error, trace_id = %crate::error::trace_id(), "dashboard request failed");
    crate::failure::logged_server_error()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "No such checkout session.").into_response()
}

/// A posted form's fields, in order (a name may repeat), and the request's
/// parts to render a page again with.
async fn form_fields(request: axum::extract::Request) -> (axum::http::request::Parts, Vec<(String, String)>) {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    (parts, url::form_urlencoded::parse(&bytes).into_owned().collect())
}

/// The first value of `name`, trimmed ("" when absent).
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
}

/// `2026-11-25T04:33:22.795Z` → `2026-11-25 04:33 UTC`.
fn when(ms: i64) -> String {
    let t = crate::time::rfc3339(ms);
    format!("{} UTC", t.get(..16).unwrap_or(&t).replace('T', " "))
}
