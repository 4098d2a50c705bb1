//! When a customer page fails on our side. Handlers log the cause and answer
//! [`server_error`]; one layer writes the customer's words into it, in their
//! browser's language, so no handler needs the request's headers for it.

use crate::{i18n::words_for, store::StoreError};
use axum::{
    extract::Request,
    http::{header, HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Marks a response as a failure for [`explain_failures`] to word.
#[derive(Clone, Copy)]
struct Failure;

/// Logs what failed (never shown) and answers 500.
pub fn server_error(error: StoreError) -> Response {
    tracing::error!(error = ?error, trace_id = %crate::error::trace_id(), "customer page failed");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Failure);
    response
}

/// Gives a failed customer page its message in the customer's language.
pub async fn explain_failures(request: Request, next: Next) -> Response {
    // Only the header is kept: most requests never need it.
    let language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let response = next.run(request).await;
    if response.extensions().get::<Failure>().is_none() {
        return response;
    }
    let headers: HeaderMap = language.into_iter().map(|value| (header::ACCEPT_LANGUAGE, value)).collect();
    let words = words_for(None, &headers);
    (StatusCode::INTERNAL_SERVER_ERROR, [(header::CACHE_CONTROL, "no-store")], words.t("server-error")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{body::Body, routing::get, Router};
    use tower::ServiceExt;

    async fn answer(accept_language: Option<&str>, fails: bool) -> (StatusCode, String) {
        let page = get(move || async move {
            if fails {
                server_error(StoreError::Closed)
            } else {
                "fine".into_response()
            }
        });
        let app = Router::new().route("/", page).layer(axum::middleware::from_fn(explain_failures));
        let mut request = Request::builder().uri("/");
        if let Some(value) = accept_language {
            request = request.header(header::ACCEPT_LANGUAGE, value);
        }
        let response = app.oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_failure_is_explained_in_the_customers_language() {
        let (status, text) = answer(Some("de-AT, en;q=0.5"), true).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(text.starts_with("Bei uns ist etwas schiefgelaufen"), "{text}");
        let (_, text) = answer(None, true).await;
        assert!(text.contains("You have not been charged twice"), "{text}");
        assert_eq!(
            answer(Some("de"), false).await,
            (StatusCode::OK, "fine".to_string()),
            "other answers pass as they are"
        );
    }
}
