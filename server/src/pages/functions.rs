//! Serving the server functions of the pages and the dashboard (`#[server]`
//! in `app`): leptos_axum finds the function by its path and runs it with a
//! desk in context. A form's answer is a redirect to the page that shows
//! the stored state; when the function fails instead, the failure is
//! worded as a page like any other (`failure.rs`), never carried back in
//! the query string.

use crate::store::StoreError;
use app::failure::Failure;
use axum::{
    extract::Request,
    http::{header, Method},
    response::{IntoResponse, Response},
};

/// The most a form's body may hold: every form Kassa serves is well under.
pub const FORM_LIMIT: usize = 64 * 1024;

pub async fn serve(request: Request, provide: impl Fn() + Clone + Send + 'static) -> Response {
    let form = request.method() == Method::POST;
    let mut response = leptos_axum::handle_server_fns_with_context(provide, request).await.into_response();
    let status = response.status();
    if form && (status.is_client_error() || status.is_server_error()) {
        return crate::pages::failure::form_failure(status);
    }
    if !status.is_redirection() {
        // Leptos points a form with no redirect of its own back at its Referer.
        response.headers_mut().remove(header::LOCATION);
    }
    response
}

/// Logs what failed on Kassa's side (never shown) and says so.
pub fn unavailable(error: impl std::fmt::Debug) -> Failure {
    tracing::error!(error = ?error, trace_id = %crate::error::trace_id(), "a form's server function failed");
    Failure::Unavailable
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        match error {
            StoreError::NotFound(..) => Failure::NotFound,
            e => unavailable(e),
        }
    }
}

impl From<crate::payments::PayError> for Failure {
    fn from(error: crate::payments::PayError) -> Failure {
        use crate::{payments::PayError, provider::ProviderError};
        match error {
            PayError::Refused(e) => e.into(),
            PayError::Provider(ProviderError::BadMethod(why)) => Failure::Unreadable(why),
            e => unavailable(e),
        }
    }
}
