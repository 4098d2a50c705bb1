//! Signing in and out: argon2id passwords, a server-side session behind an
//! HttpOnly SameSite cookie, a CSRF token on every form, and a slow-down
//! after repeated failures.

use crate::{pages::render_with, store::Login, time::now_ms, AppState};
use app::dashboard::{dashboard_shell, DashboardPage};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use subtle::ConstantTimeEq;

const COOKIE: &str = "kassa_dashboard";
const LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// Failed sign-ins for one email within the window before it must wait.
const MAX_FAILURES: i64 = 5;
const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("{e}"))?.to_string())
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The signed-in user; pages without one send the visitor to sign in.
pub struct Signed(pub Login);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(COOKIE).map(|c| c.value().to_string()) else {
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

impl Signed {
    /// Refuses a form whose CSRF token is not this login's.
    pub fn check_csrf(&self, token: &str) -> Result<(), Box<Response>> {
        if bool::from(self.0.csrf_token.as_bytes().ct_eq(token.as_bytes())) {
            Ok(())
        } else {
            let refused = (StatusCode::FORBIDDEN, "This form has expired. Go back, reload the page and try again.");
            Err(Box::new(refused.into_response()))
        }
    }
}

async fn page(
    state: &AppState,
    email: String,
    error: Option<String>,
    status: StatusCode,
    request: Request,
) -> Response {
    render_with(state, DashboardPage::SignIn { email, error }, dashboard_shell, status, request).await
}

pub async fn show_sign_in(State(state): State<AppState>, request: Request) -> Response {
    page(&state, String::new(), None, StatusCode::OK, request).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct SignInForm {
    email: String,
    password: String,
}

pub async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let form: SignInForm = match axum::body::to_bytes(body, 16 * 1024).await {
        Ok(bytes) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(_) => SignInForm::default(),
    };
    let again = |parts| Request::from_parts(parts, axum::body::Body::empty());
    let email = form.email.trim().to_lowercase();
    let (failures, last) = match state.store.sign_in_failures(&email, now_ms() - FAILURE_WINDOW_MS).await {
        Ok(found) => found,
        Err(e) => return crate::dashboard::server_error(e),
    };
    if failures >= MAX_FAILURES {
        let wait_min = ((last.unwrap_or(0) + FAILURE_WINDOW_MS - now_ms()) / 60_000).max(1);
        let error = format!("Too many failed sign-ins for this email. Try again in {wait_min} minutes.");
        return page(&state, email, Some(error), StatusCode::TOO_MANY_REQUESTS, again(parts)).await;
    }
    let user = state.store.dashboard_user(&email).await.ok().flatten();
    let password = form.password;
    // Verify even for an unknown email, so the answer takes as long either way.
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.to_string());
    let valid = tokio::task::spawn_blocking(move || verify_password(&hash, &password)).await.unwrap_or(false);
    let Some(user) = user.filter(|_| valid) else {
        if let Err(e) = state.store.record_sign_in_failure(&email).await {
            return crate::dashboard::server_error(e);
        }
        let error = "Wrong email or password.".to_string();
        return page(&state, email, Some(error), StatusCode::UNAUTHORIZED, again(parts)).await;
    };
    let token = crate::ids::random_base62() + &crate::ids::random_base62();
    let csrf = crate::ids::random_base62();
    if let Err(e) = state.store.create_login(&user.id, &token, &csrf, LIFETIME_MS).await {
        return crate::dashboard::server_error(e);
    }
    let _ = state.store.clear_sign_in_failures(&email).await;
    let cookie = Cookie::build((COOKIE, token))
        .http_only(true)
        .secure(state.public_url.starts_with("https://"))
        .same_site(SameSite::Lax)
        .path("/dashboard")
        .max_age(time::Duration::milliseconds(LIFETIME_MS))
        .build();
    (CookieJar::new().add(cookie), Redirect::to("/dashboard")).into_response()
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    signed: Signed,
    jar: CookieJar,
    form: axum::Form<CsrfForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&form.csrf) {
        return *refused;
    }
    if let Some(token) = jar.get(COOKIE).map(|c| c.value().to_string()) {
        if let Err(e) = state.store.end_login(&token).await {
            return crate::dashboard::server_error(e);
        }
    }
    let gone = Cookie::build((COOKIE, "")).path("/dashboard").build();
    (jar.remove(gone), Redirect::to("/dashboard/sign-in")).into_response()
}

/// An argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5Xa0W2bcHbZ8u0Qq2UobcG0yG2M6XzYjJtqG0cIhE0M";
