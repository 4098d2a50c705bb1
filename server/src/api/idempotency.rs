//! The `Idempotency-Key` header, shared by every POST.

use crate::{
    error::ApiError,
    store::{IdempotencyClaim, Store, StoredResponse, Tx},
    AppState,
};
use axum::{
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    // Printable ASCII, spaces inside allowed (HTTP has dropped those around it).
    let printable = |k: &&str| k.bytes().all(|b| (b' '..=b'~').contains(&b));
    let key = value.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 255).filter(printable);
    let key = key.ok_or_else(|| {
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

/// A change made in the transaction that claims its Idempotency-Key and
/// stores its answer: they commit together or not at all, so no crash can
/// leave the key claimed with the change made and no answer (a refused
/// change rolls the claim back with it). For changes that must not happen
/// twice: refunds, and whatever creates an object.
pub struct Atomic {
    pub tx: Tx,
    merchant_id: String,
    key: Option<String>,
    sealed: bool,
}

/// Where a request with an Idempotency-Key stands once its key is claimed.
pub enum Claimed {
    /// Make the change in `tx`, then [`Atomic::commit`] its answer.
    Go(Atomic),
    /// The key was used before for this request: its answer.
    Replayed(Response),
}

impl Atomic {
    /// Begins the transaction and claims the key in it, if the request has
    /// one; `sealed` keeps the stored answer sealed (it holds a secret).
    pub async fn begin(
        state: &AppState,
        merchant_id: &str,
        headers: &HeaderMap,
        (route, body): (&str, &[u8]),
        sealed: bool,
    ) -> Result<Claimed, ApiError> {
        let key = key(headers)?;
        let mut tx = state.store.begin().await?;
        if let Some(k) = &key {
            let claim = Store::claim_idempotency_key(&mut tx, merchant_id, k, &digest(route, body)).await?;
            if let Some(replayed) = settle(opened(state, claim))? {
                return Ok(Claimed::Replayed(replayed));
            }
        }
        Ok(Claimed::Go(Atomic { tx, merchant_id: merchant_id.to_string(), key, sealed }))
    }

    /// Stores the answer with the change and commits both.
    pub async fn commit(mut self, state: &AppState, status: StatusCode, json: String) -> Result<Response, ApiError> {
        if let Some(k) = &self.key {
            let body = if self.sealed { format!("{SEALED}{}", state.sealer.seal(&json)) } else { json.clone() };
            let stored = StoredResponse { status: status.as_u16(), body };
            Store::store_idempotent_response(&mut self.tx, &self.merchant_id, k, &stored).await?;
        }
        self.tx.commit().await?;
        Ok(json_response(status, json))
    }
}

/// A stored answer with its sealed body opened.
fn opened(state: &AppState, mut claim: IdempotencyClaim) -> IdempotencyClaim {
    if let IdempotencyClaim::Replay(stored) = &mut claim {
        if let Some(sealed) = stored.body.strip_prefix(SEALED) {
            stored.body = state.sealer.open(sealed).unwrap_or_default();
        }
    }
    claim
}

/// How long a claim may stay in progress before a retry takes it over: twice
/// the longest a request may take, so its request is over by then.
const STALE_AFTER_MS: i64 = 2 * crate::serve::REQUEST_TIMEOUT.as_millis() as i64;

/// Runs a change that commits on its own behind the Idempotency-Key: the key
/// is claimed first, the answer stored after. Only for changes that may run
/// again harmlessly (a state the lifecycle lets happen once, a setting, a
/// resend): a claim a dead request left is taken over after a minute.
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
        let claim = state.store.claim_idempotency_key_now(merchant_id, k, &digest(route, body), STALE_AFTER_MS).await?;
        if let Some(replayed) = settle(opened(state, claim))? {
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
