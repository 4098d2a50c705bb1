//! Every error the HTTP surfaces can return, turned into a response in one
//! place: `{"error": {type, code, message, param}, "traceId"}`. Internal
//! causes are logged with the trace id and never shown.

use crate::{domain_error::DomainError, provider::ProviderError, store::StoreError};
use app::lifecycle::LifecycleError;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;

tokio::task_local! {
    static TRACE_ID: String;
}

/// The id of the request being served, for error bodies and logs.
pub fn trace_id() -> String {
    TRACE_ID.try_with(Clone::clone).unwrap_or_default()
}

/// Gives each request a trace id, returned in `x-trace-id` and in error bodies.
pub async fn with_trace_id(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let id = format!("tr_{}", crate::ids::random_base62());
    let mut response = TRACE_ID.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = id.parse() {
        response.headers_mut().insert("x-trace-id", value);
    }
    response
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    Invalid { code: &'static str, message: String, param: Option<String> },
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("this API key lacks the `{0}` scope")]
    MissingScope(&'static str),
    #[error("no such {kind}: `{id}`")]
    NotFound { kind: &'static str, id: String, param: &'static str },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{message}")]
    Idempotency { message: String },
    #[error("send the body as JSON with `Content-Type: application/json`")]
    UnsupportedMediaType,
    #[error("too many requests with this API key: wait the seconds `Retry-After` says, then try again")]
    RateLimited,
    /// The payment provider (Stripe) could not be reached or failed.
    #[error("the payment provider did not answer; try again in a moment ({0})")]
    ProviderUnavailable(String),
    #[error("the server could not finish this request; it has been logged (trace id {})", trace_id())]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn invalid(param: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Invalid { code, message: message.into(), param: Some(param.into()) }
    }

    pub fn not_found(kind: &'static str, id: impl Into<String>) -> Self {
        ApiError::NotFound { kind, id: id.into(), param: "id" }
    }

    /// No such object, named by `param` (a cursor, a reference in the body).
    pub fn no_such(param: &'static str, kind: &'static str, id: impl Into<String>) -> Self {
        ApiError::NotFound { kind, id: id.into(), param }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str, Option<&str>) {
        use ApiError::*;
        match self {
            Invalid { code, param, .. } => (StatusCode::BAD_REQUEST, "invalid_request_error", code, param.as_deref()),
            Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "authentication_error", "invalid_api_key", None),
            MissingScope(_) => (StatusCode::FORBIDDEN, "permission_error", "missing_scope", None),
            NotFound { param, .. } => (StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", Some(param)),
            Conflict { code, .. } => (StatusCode::CONFLICT, "invalid_request_error", code, None),
            Idempotency { .. } => (StatusCode::CONFLICT, "idempotency_error", "idempotency_key_reused", None),
            UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request_error", "unsupported_media_type", None)
            }
            RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limit_error", "rate_limited", None),
            ProviderUnavailable(_) => (StatusCode::BAD_GATEWAY, "api_error", "provider_unavailable", None),
            Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "api_error", "internal_error", None),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid { param, code, message } => ApiError::Invalid { code, message, param: Some(param) },
            DomainError::Conflict { code, message } => ApiError::Conflict { code, message },
            DomainError::NotFound { kind, id, param } => ApiError::NotFound { kind, id, param },
            DomainError::Store(e) => e.into(),
            DomainError::Provider(ProviderError::Refused(message)) => ApiError::Conflict {
                code: "provider_refused",
                message: format!("the payment provider refused: {message}"),
            },
            DomainError::Provider(ProviderError::BadMethod(message)) => {
                ApiError::Invalid { code: "payment_method_invalid", message, param: None }
            }
            DomainError::Provider(ProviderError::Unreachable(e)) => ApiError::ProviderUnavailable(e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Lifecycle(e) => ApiError::Conflict { code: lifecycle_code(e), message: e.to_string() },
            StoreError::Conflict => ApiError::Conflict {
                code: "session_changed",
                message: "the session changed while this request ran; fetch it and try again".into(),
            },
            StoreError::NotFound(kind, id) => ApiError::NotFound { kind, id, param: "id" },
            e @ StoreError::EndpointNotEnabled => {
                ApiError::Conflict { code: "endpoint_not_enabled", message: e.to_string() }
            }
            StoreError::Database(e) => ApiError::Internal(e.into()),
            StoreError::Closed => ApiError::Internal(anyhow::anyhow!("the store is shutting down")),
        }
    }
}

pub fn lifecycle_code(error: LifecycleError) -> &'static str {
    use LifecycleError::*;
    match error {
        Closed(app::lifecycle::Status::Expired) => "session_expired",
        Closed(app::lifecycle::Status::Cancelled) => "session_cancelled",
        Closed(_) => "session_complete",
        AttemptInFlight => "payment_in_progress",
        NoAttemptInFlight => "no_payment_in_progress",
        NotPayable => "session_not_payable",
        NotCapturable => "payment_not_capturable",
        NotRefundable => "payment_not_refundable",
        RefundNotPositive | RefundTooLarge { .. } => "refund_amount_invalid",
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
    #[serde(rename = "traceId")]
    trace_id: String,
}

#[derive(Serialize)]
struct Detail<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    code: &'static str,
    message: String,
    param: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind, code, param) = self.parts();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(trace_id = %trace_id(), error = ?cause, "request failed");
        }
        let body = Body { error: Detail { kind, code, message: self.to_string(), param }, trace_id: trace_id() };
        (status, Json(body)).into_response()
    }
}
