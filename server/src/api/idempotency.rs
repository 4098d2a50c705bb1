//! The `Idempotency-Key` header, shared by every POST.

use crate::{
    error::ApiError,
    store::{IdempotencyClaim, StoredResponse},
    AppState,
};
use axum::{
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 255).ok_or_else(|| {
        ApiError::invalid(
            "Idempotency-Key",
            "idempotency_key_invalid",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        )
    })?;
    Ok(Some(key.to_string()))
}

/// What a key stands for: this endpoint and this exact body.
pub fn digest(route: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(route.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The answer to a request whose key was seen before, or None to go ahead.
pub fn settle(claim: IdempotencyClaim) -> Result<Option<Response>, ApiError> {
    match claim {
        IdempotencyClaim::Claimed => Ok(None),
        IdempotencyClaim::Replay(stored) => Ok(Some(replay(stored))),
        IdempotencyClaim::Mismatch => Err(ApiError::Idempotency {
            message: "this Idempotency-Key was already used with another request; use a new key for a new request"
                .into(),
        }),
        IdempotencyClaim::InProgress => Err(ApiError::Conflict {
            code: "idempotency_key_in_use",
            message: "a request with this Idempotency-Key is still being processed; retry shortly".into(),
        }),
    }
}

pub fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    (status, [("content-type", "application/json"), ("idempotent-replayed", "true")], stored.body).into_response()
}

pub fn json_response(status: StatusCode, body: String) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}

/// Runs a change that commits on its own behind the Idempotency-Key: the key
/// is claimed first, the answer stored after.
pub async fn run(
    state: &AppState,
    merchant_id: &str,
    headers: &HeaderMap,
    route: &str,
    body: &[u8],
    change: impl std::future::Future<Output = Result<(StatusCode, String), ApiError>>,
) -> Result<Response, ApiError> {
    run_inner(state, merchant_id, headers, route, body, change, false).await
}

/// As [`run`], for answers that hold a secret: the stored answer is sealed.
pub async fn run_sealed(
    state: &AppState,
    merchant_id: &str,
    headers: &HeaderMap,
    route: &str,
    body: &[u8],
    change: impl std::future::Future<Output = Result<(StatusCode, String), ApiError>>,
) -> Result<Response, ApiError> {
    run_inner(state, merchant_id, headers, route, body, change, true).await
}

const SEALED: &str = "sealed:";

async fn run_inner(
    state: &AppState,
    merchant_id: &str,
    headers: &HeaderMap,
    route: &str,
    body: &[u8],
    change: impl std::future::Future<Output = Result<(StatusCode, String), ApiError>>,
    sealed: bool,
) -> Result<Response, ApiError> {
    let key = key(headers)?;
    if let Some(k) = &key {
        let mut claim = state.store.claim_idempotency_key_now(merchant_id, k, &digest(route, body)).await?;
        if let IdempotencyClaim::Replay(stored) = &mut claim {
            if let Some(sealed) = stored.body.strip_prefix(SEALED) {
                stored.body = state.sealer.open(sealed).unwrap_or_default();
            }
        }
        if let Some(replayed) = settle(claim)? {
            return Ok(replayed);
        }
    }
    let (status, json) = match change.await {
        Ok(answer) => answer,
        Err(error) => {
            // A refused change frees the key, so a corrected retry may use it.
            if let Some(k) = &key {
                state.store.release_idempotency_key(merchant_id, k).await?;
            }
            return Err(error);
        }
    };
    if let Some(k) = &key {
        let body = if sealed { format!("{SEALED}{}", state.sealer.seal(&json)) } else { json.clone() };
        let stored = StoredResponse { status: status.as_u16(), body };
        state.store.store_idempotent_response_now(merchant_id, k, &stored).await?;
    }
    Ok(json_response(status, json))
}
