//! Signing in and out: argon2id passwords, a server-side session behind an
//! HttpOnly SameSite cookie (whose CSRF token every other form carries, see
//! `desk.rs`), and a slow-down after repeated failures.

use super::notices;
use crate::{pages::render_with, store::Login, time::now_ms, AppState};
use app::dashboard::{dashboard_shell, DashboardPage};
use app::failure::Failure;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::net::IpAddr;

const COOKIE: &str = "kassa_dashboard";
const LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// Tries for one email within the window before it must wait (a right
/// password starts it afresh).
const MAX_TRIES_PER_ACCOUNT: i64 = 5;
/// Failed tries from one address within the window, across every email: a
/// guesser spreading over accounts is stopped too.
const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const TRY_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Password hashes computed at once (argon2id takes 19 MiB and a core's
/// worth of time each): a flood of sign-ins waits here, not in memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("{e}"))?.to_string())
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The login token the browser's cookie carries, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers).get(COOKIE).map(|c| c.value().to_string())
}

/// The signed-in user; pages without one send the visitor to sign in.
pub struct Signed(pub Login);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie_token(&parts.headers) else {
            return Err(Redirect::to("/dashboard/sign-in").into_response());
        };
        match state.store.login(&token).await {
            Ok(Some(login)) => Ok(Signed(login)),
            Ok(None) => Err(Redirect::to("/dashboard/sign-in").into_response()),
            Err(e) => {
                tracing::error!(error = ?e, "reading a dashboard login failed");
                Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
        }
    }
}

/// The sign-in page, with what the last refused try from this address left.
pub async fn show_sign_in(State(state): State<AppState>, request: Request) -> Response {
    let client = client_address(&state, request.extensions(), request.headers());
    let notice = notices::take(&state, &notices::sign_in_key(client), SIGN_IN).await;
    let page = DashboardPage::SignIn { email: notice.email, error: notice.error };
    render_with(&state, page, dashboard_shell, StatusCode::OK, request).await
}

const SIGN_IN: &str = "/dashboard/sign-in";

fn client_address(state: &AppState, extensions: &axum::http::Extensions, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    peer.map(|ip| state.proxies.client_ip(ip, headers))
}

/// Checks the password (slowly, and no faster for an unknown email), within
/// the limits on tries; a right one makes a login and its cookie.
pub async fn sign_in(
    state: &AppState,
    request: &Parts,
    email: String,
    password: String,
) -> Result<(String, Option<String>), Failure> {
    let email = email.trim().to_lowercase();
    let client = client_address(state, &request.extensions, &request.headers);
    let notice_key = notices::sign_in_key(client);
    let refused = |error: String| notices::Notice { email: email.clone(), ..notices::Notice::refused(SIGN_IN, error) };
    let address = client.map(|ip| ip.to_string()).unwrap_or_default();
    let (account_key, address_key) = (format!("email:{email}"), format!("ip:{address}"));
    // Counted before the password is checked, so tries sent in parallel
    // cannot all pass a count read before any of them was recorded.
    let now = now_ms();
    let ((account_tries, account_since), (address_tries, address_since)) = futures::try_join!(
        state.store.count_try(&account_key, now, TRY_WINDOW_MS),
        state.store.count_try(&address_key, now, TRY_WINDOW_MS),
    )?;
    let wait_min = |since: i64| ((since + TRY_WINDOW_MS - now) / 60_000).max(1);
    let refusal = if account_tries > MAX_TRIES_PER_ACCOUNT {
        Some(format!("Too many failed sign-ins for this email. Try again in {} minutes.", wait_min(account_since)))
    } else if address_tries > MAX_FAILURES_PER_ADDRESS {
        Some(format!("Too many failed sign-ins from your network. Try again in {} minutes.", wait_min(address_since)))
    } else {
        None
    };
    if let Some(error) = refusal {
        return Ok((notices::keep(state, &notice_key, refused(error)).await?, None));
    }
    let Ok(Ok(permit)) = tokio::time::timeout(std::time::Duration::from_secs(5), HASHING.acquire()).await else {
        let error = "Kassa is busy signing people in. Try again in a moment.".to_string();
        return Ok((notices::keep(state, &notice_key, refused(error)).await?, None));
    };
    let user = state.store.dashboard_user(&email).await.ok().flatten();
    // Verify even for an unknown email, so the answer takes as long either way.
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.to_string());
    let valid = tokio::task::spawn_blocking(move || verify_password(&hash, &password)).await.unwrap_or(false);
    drop(permit);
    let Some(user) = user.filter(|_| valid) else {
        let error = "Wrong email or password.".to_string();
        return Ok((notices::keep(state, &notice_key, refused(error)).await?, None));
    };
    let token = crate::ids::random_base62() + &crate::ids::random_base62();
    let csrf = crate::ids::random_base62();
    state.store.create_login(&user, &token, &csrf, LIFETIME_MS).await?;
    // A right password: the account starts afresh, and the address's try
    // is not held against it.
    let forgiven = futures::try_join!(state.store.forget_tries(&account_key), state.store.forgive_try(&address_key));
    if let Err(e) = forgiven {
        tracing::warn!(error = ?e, "could not reset the sign-in count after a right password");
    }
    let cookie = Cookie::build((COOKIE, token))
        .http_only(true)
        .secure(state.public_url.starts_with("https://"))
        .same_site(SameSite::Lax)
        .path("/dashboard")
        .max_age(time::Duration::milliseconds(LIFETIME_MS))
        .build();
    Ok(("/dashboard".into(), Some(cookie.to_string())))
}

/// Shows the login live or test data from now on; back to `back` when it
/// is one of the dashboard's pages.
pub async fn switch_mode(state: &AppState, request: &Parts, live: bool, back: &str) -> Result<String, Failure> {
    if let Some(token) = cookie_token(&request.headers) {
        state.store.set_login_mode(&token, live).await?;
    }
    let page = back.starts_with("/dashboard") && back.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b));
    Ok(if page { back.to_string() } else { "/dashboard".to_string() })
}

/// Ends the login here, and tells the browser to forget its cookie.
pub async fn sign_out(state: &AppState, request: &Parts) -> Result<(String, String), Failure> {
    if let Some(token) = cookie_token(&request.headers) {
        state.store.end_login(&token).await?;
    }
    let gone = Cookie::build((COOKIE, "")).path("/dashboard").max_age(time::Duration::ZERO).build();
    Ok((SIGN_IN.into(), gone.to_string()))
}

/// An argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5Xa0W2bcHbZ8u0Qq2UobcG0yG2M6XzYjJtqG0cIhE0M";
