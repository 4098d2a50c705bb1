//! When a request fails on our side, or asks for something that is not
//! there. Handlers log the cause and answer [`server_error`]; a panic is
//! caught and logged by [`on_panic`]; unrouted paths get [`not_found`]. One
//! layer, [`explain_failures`], then writes the answer the asker can read:
//! the page shell in the customer's language, or the API's JSON error.

use crate::{error::trace_id, i18n::words_for, store::StoreError, AppState};
use app::pages::Page;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::FutureExt;
use std::{any::Any, panic::AssertUnwindSafe};

/// Marks a response for [`explain_failures`] to word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    Server,
    NotFound,
    /// A form its server function could not read.
    Unreadable,
}

fn marked(failure: Failure) -> Response {
    let status = match failure {
        Failure::Server => StatusCode::INTERNAL_SERVER_ERROR,
        Failure::NotFound => StatusCode::NOT_FOUND,
        Failure::Unreadable => StatusCode::BAD_REQUEST,
    };
    let mut response = status.into_response();
    response.extensions_mut().insert(failure);
    response
}

/// A server function's failed answer to a form, marked to be worded like
/// any other failure (its status picks the words; a 5xx was logged where it
/// happened).
pub fn form_failure(status: StatusCode) -> Response {
    match status {
        StatusCode::NOT_FOUND => marked(Failure::NotFound),
        status if status.is_client_error() => marked(Failure::Unreadable),
        _ => marked(Failure::Server),
    }
}

/// Logs what failed (never shown) and answers 500.
pub fn server_error(error: StoreError) -> Response {
    tracing::error!(error = ?error, trace_id = %trace_id(), "request failed");
    marked(Failure::Server)
}

/// A 500 for a failure the handler has already logged.
pub fn logged_server_error() -> Response {
    marked(Failure::Server)
}

/// What `CatchPanicLayer` answers: the panic is logged with the request's
/// trace id, and the customer sees the failure page, not "Service panicked".
pub fn on_panic(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = match (panic.downcast_ref::<String>(), panic.downcast_ref::<&str>()) {
        (Some(text), _) => text.as_str(),
        (None, Some(text)) => text,
        (None, None) => "(no message)",
    };
    tracing::error!(trace_id = %trace_id(), panic = message, "request panicked");
    marked(Failure::Server)
}

/// For every path no route claims.
pub async fn not_found() -> Response {
    marked(Failure::NotFound)
}

/// Paths whose askers read JSON: the merchant API and the status API.
fn wants_json(path: &str) -> bool {
    path.starts_with("/v1/") || path == "/v1" || path.starts_with("/checkout/") || path == "/openapi.json"
}

/// Gives a marked failure its words: the page shell in the customer's
/// language (or the merchant's, on the dashboard), or the API's JSON error.
pub async fn explain_failures(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Only the language and the path are kept: most requests never need them.
    let language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let Some(&failure) = response.extensions().get::<Failure>() else { return response };
    if wants_json(&path) {
        return json_error(failure, &path);
    }
    let page = AssertUnwindSafe(page(&state, failure, &path, language.clone())).catch_unwind().await;
    page.unwrap_or_else(|_| {
        // Rendering itself panicked: the words alone, still in their language.
        tracing::error!(trace_id = %trace_id(), "the failure page could not be rendered");
        let headers = language.into_iter().map(|value| (header::ACCEPT_LANGUAGE, value)).collect();
        let words = words_for(None, &headers);
        (StatusCode::INTERNAL_SERVER_ERROR, [(header::CACHE_CONTROL, "no-store")], words.t("server-error"))
            .into_response()
    })
}

fn json_error(failure: Failure, path: &str) -> Response {
    use crate::error::ApiError;
    match failure {
        // The cause is logged where it happened, with this trace id.
        Failure::Server => ApiError::Internal(anyhow::anyhow!("see the log above")).into_response(),
        Failure::NotFound => ApiError::not_found("route", path).into_response(),
        Failure::Unreadable => {
            ApiError::invalid("body", "unreadable", "the request's body could not be read").into_response()
        }
    }
}

async fn page(state: &AppState, failure: Failure, path: &str, language: Option<HeaderValue>) -> Response {
    let mut request = Request::builder().uri(path);
    if let Some(value) = language {
        request = request.header(header::ACCEPT_LANGUAGE, value);
    }
    let request = request.body(Body::empty()).unwrap_or_default();
    let w = words_for(None, request.headers());
    let (page, status) = match failure {
        Failure::NotFound => (Page::NotFound, StatusCode::NOT_FOUND),
        Failure::Unreadable => {
            let reference = w.t_with("error-reference", &[("trace", trace_id().into())]);
            (Page::ServerError { message: w.t("form-unreadable"), reference }, StatusCode::BAD_REQUEST)
        }
        Failure::Server => {
            // The dashboard is the merchant's, and speaks English.
            let message = if path.starts_with("/dashboard") {
                "Something went wrong on our side, and it has been logged. Try again in a moment; if it keeps \
                 happening, give this reference to whoever runs Kassa."
                    .to_string()
            } else {
                w.t("server-error")
            };
            let reference = w.t_with("error-reference", &[("trace", trace_id().into())]);
            (Page::ServerError { message, reference }, StatusCode::INTERNAL_SERVER_ERROR)
        }
    };
    crate::pages::render(state, page, w, status, request).await
}
