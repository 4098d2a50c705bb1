//! The merchant's dashboard: sign-in, the sessions list, a session's detail
//! and the actions on it. Every read and write is scoped to the signed-in
//! merchant; another merchant's session is simply not found.

mod actions;
pub mod auth;
mod desk;
mod detail;
mod export;
mod links;
mod list;
mod notices;
mod overview;
mod sites;
mod webhooks;

use crate::AppState;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

/// The dashboard's pages; every change goes through its server functions
/// (`desk.rs`).
pub fn router(state: AppState) -> Router<AppState> {
    desk::routes(state)
        .route("/dashboard", get(list::sessions))
        .route("/dashboard/sessions.csv", get(export::export))
        .route("/dashboard/overview", get(overview::overview))
        .route("/dashboard/rows", get(list::rows))
        .route("/dashboard/links", get(links::show))
        .route("/dashboard/sites", get(sites::show))
        .route("/dashboard/webhooks", get(webhooks::show))
        .route("/dashboard/sign-in", get(auth::show_sign_in))
        .route("/dashboard/sessions/{id}", get(detail::session))
}

pub(crate) fn server_error(error: impl std::fmt::Debug) -> Response {
    tracing::error!(error = ?error, trace_id = %crate::error::trace_id(), "dashboard request failed");
    crate::pages::failure::logged_server_error()
}

/// The header's view of a login, on the page at `here`.
fn nav(login: crate::store::Login, here: &str) -> app::dashboard::Nav {
    app::dashboard::Nav {
        live: login.live(),
        merchant_name: login.merchant_name,
        email: login.email,
        csrf: login.csrf_token,
        here: here.to_string(),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "No such checkout session.").into_response()
}

/// `2026-11-25T04:33:22.795Z` → `2026-11-25 04:33 UTC`.
fn when(ms: i64) -> String {
    let t = crate::time::rfc3339(ms);
    format!("{} UTC", t.get(..16).unwrap_or(&t).replace('T', " "))
}
