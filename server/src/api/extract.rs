//! Extractors whose rejections are our own errors: a JSON body that names
//! the field at fault, and the Bearer API key.

use crate::{
    error::ApiError,
    store::{ApiKeyRecord, Scope, SessionRecord, Store, StoreError},
    AppState,
};
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts},
};
use serde::de::DeserializeOwned;

/// A JSON body, and its raw bytes for the idempotency digest.
pub struct ApiJson<T> {
    pub value: T,
    pub raw: Bytes,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let raw = Bytes::from_request(request, state).await.map_err(|e| ApiError::Invalid {
            code: "body_invalid",
            message: format!("the request body could not be read: {e}"),
            param: None,
        })?;
        let value = parse(&raw)?;
        Ok(ApiJson { value, raw })
    }
}

pub fn parse<T: DeserializeOwned>(raw: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(raw);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::Invalid {
                code: "json_invalid",
                message: format!("the body is not valid JSON: {inner}"),
                param: None,
            };
        }
        let message = inner.to_string();
        let unknown = message.starts_with("unknown field");
        // The path already ends in an unknown field's name; a missing field is named only in the message.
        let param = match path.as_str() {
            "." => message.split('`').nth(1).unwrap_or("").to_string(),
            path => path.to_string(),
        };
        let code = if unknown { "parameter_unknown" } else { "parameter_invalid" };
        let message = format!("`{param}`: {message}");
        ApiError::Invalid { code, message, param: Some(param) }
    })
}

/// The merchant's API key from `Authorization: Bearer sk_…`.
pub struct ApiKey(pub ApiKeyRecord);

impl ApiKey {
    pub fn require(&self, scope: Scope) -> Result<&str, ApiError> {
        if self.0.allows(scope) {
            Ok(&self.0.merchant_id)
        } else {
            Err(ApiError::MissingScope(scope.as_str()))
        }
    }

    /// A live key (`sk_live_…`).
    pub fn live(&self) -> bool {
        self.0.livemode != 0
    }

    /// The merchant's session `id` as this key may see it: in the key's
    /// own mode. A test key never reaches a live payment, nor a live key a
    /// sandbox one; the other mode's session is not found.
    pub async fn session(&self, store: &Store, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        Ok(store.merchant_session(&self.0.merchant_id, id).await?.filter(|s| (s.livemode != 0) == self.live()))
    }

    /// `route` as an Idempotency-Key binds it: a key used in one mode is
    /// never replayed in the other (a test session handed to a live caller
    /// would be an order shipped unpaid).
    pub fn keyed_route(&self, route: &str) -> String {
        if self.live() {
            format!("{route} (live)")
        } else {
            route.to_string()
        }
    }
}

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::Unauthenticated("send your API key as `Authorization: Bearer sk_test_…`"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthenticated("the Authorization header must be `Bearer <API key>`"))?;
        let key = state
            .store
            .authenticate(token.trim())
            .await?
            .ok_or(ApiError::Unauthenticated("this API key is not valid, or has been revoked"))?;
        Ok(ApiKey(key))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::{error::ApiError, new_session::CreateSessionRequest};

    fn param_of(body: &str) -> Option<String> {
        match parse::<CreateSessionRequest>(body.as_bytes()) {
            Err(ApiError::Invalid { param, .. }) => param,
            other => panic!("expected an invalid-request error, got {other:?}"),
        }
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(param_of(r#"{"currency":"EUR","colour":"red"}"#).as_deref(), Some("colour"));
        assert_eq!(param_of(r#"{"amount":"12","currency":"EUR"}"#).as_deref(), Some("amount"));
        assert_eq!(param_of(r#"{"amount":12}"#).as_deref(), Some("currency"));
        assert_eq!(
            param_of(r#"{"currency":"EUR","line_items":[{"name":"a","quantity":1,"unit_amount":1,"x":1}]}"#).as_deref(),
            Some("line_items[0].x")
        );
        assert_eq!(param_of(r#"{"currency":"EUR","capture":"later"}"#).as_deref(), Some("capture"));
        assert_eq!(param_of(r#"{"currency": "#), None);
    }
}
