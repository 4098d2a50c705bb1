use super::surface::Surface;
use super::view::{checkout_page, render, render_in, return_page};
use crate::pages::failure::server_error;
use crate::{
    i18n::words_for,
    store::{CustomerContext, SessionRecord, StoreError},
    AppState,
};
use app::i18n::Words;
use app::lifecycle::{AttemptStatus, Outcome, Status};
use app::pages::{ChallengeView, Page};
use axum::{
    body::Body,
    extract::{ConnectInfo, Path, Request, State},
    http::{header, HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Redirect, Response},
    routing::{any, get},
    Router,
};
use std::net::{IpAddr, SocketAddr};
use tower_http::limit::RequestBodyLimitLayer;

fn routes() -> Router<AppState> {
    let mut router = Router::new().route("/", get(home)).route("/r/{token}", get(show_receipt));
    for surface in [Surface::Hosted, Surface::Embedded] {
        let at = |path: &str| surface.path(path);
        router = router
            .route(&at("/pay/{id}"), get(show_checkout))
            .route(&at("/pay/{id}/return"), get(show_return))
            .route(&at("/pay/{id}/challenge/{attempt}"), get(show_challenge))
            .route(&at("/l/{slug}"), get(super::links::visit))
            // The forms' server functions, one path each for both surfaces.
            .route(
                &at("/fn/{*name}"),
                any(super::desk::serve).layer(RequestBodyLimitLayer::new(crate::pages::functions::FORM_LIMIT)),
            );
    }
    router
}

/// The customer's pages, their forms refused when posted from another site.
pub fn router(state: AppState) -> Router<AppState> {
    routes().route_layer(axum::middleware::from_fn_with_state(state, super::cross_site::refuse_cross_site))
}

/// The session as stored, expired on the spot if its time is up.
pub(super) async fn fresh(state: &AppState, id: &str) -> Result<Option<SessionRecord>, StoreError> {
    match state.store.session(id).await? {
        Some(session) => Ok(Some(state.store.expire_if_due(session).await?)),
        None => Ok(None),
    }
}

fn see_other(path: String) -> Response {
    Redirect::to(&path).into_response()
}

async fn not_found(state: &AppState, surface: Surface, request: Request) -> Response {
    let w = words_for(None, request.headers());
    render_in(state, Page::NotFound, surface.frame(state, None).await, w, StatusCode::NOT_FOUND, request).await
}

/// The session a page is about, or the answer when there is none to show.
/// (A request's body is not `Sync`, so its headers and URI come apart.)
async fn session_for(
    state: &AppState,
    id: &str,
    surface: Surface,
    (uri, headers): (&Uri, &HeaderMap),
) -> Result<SessionRecord, Response> {
    match fresh(state, id).await {
        Ok(Some(session)) => Ok(session),
        Ok(None) => {
            let mut request = Request::new(Body::empty());
            *request.uri_mut() = uri.clone();
            *request.headers_mut() = headers.clone();
            Err(not_found(state, surface, request).await)
        }
        Err(e) => Err(server_error(e)),
    }
}

async fn render_for(
    state: &AppState,
    surface: Surface,
    session: &SessionRecord,
    page: Page,
    w: Words,
    status: StatusCode,
    request: Request,
) -> Response {
    render_in(state, page, surface.frame(state, Some(&session.site_id)).await, w, status, request).await
}

/// The customer's address: the peer's, or a trusted proxy's word for it.
pub(super) fn client_ip(state: &AppState, extensions: &axum::http::Extensions, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    peer.map(|p| state.proxies.client_ip(p.ip(), headers))
}

fn customer_context(state: &AppState, headers: &HeaderMap, ip: Option<IpAddr>) -> CustomerContext {
    let text = |name: header::HeaderName, max: usize| {
        headers.get(name).and_then(|v| v.to_str().ok()).map(|v| v.chars().take(max).collect::<String>())
    };
    let language = text(header::ACCEPT_LANGUAGE, 200)
        .and_then(|v| v.split(',').next().map(|tag| tag.split(';').next().unwrap_or("").trim().to_string()))
        .filter(|tag| !tag.is_empty() && tag != "*");
    CustomerContext {
        ip: ip.map(|ip| ip.to_string()),
        user_agent: text(header::USER_AGENT, 500),
        language,
        location: state.locator.locate(headers, ip),
    }
}

async fn show_checkout(
    State(state): State<AppState>,
    Path(id): Path<String>,
    surface: Surface,
    request: Request,
) -> Response {
    let session = match session_for(&state, &id, surface, (request.uri(), request.headers())).await {
        Ok(session) => session,
        Err(answer) => return answer,
    };
    match (session.state().outcome, session.attempt_status.as_deref().and_then(AttemptStatus::parse)) {
        (Outcome::Pending, Some(AttemptStatus::RequiresAction)) => {
            if let Ok(Some(attempt)) = state.store.attempts_of(&id).await.map(|mut a| a.pop()) {
                return see_other(surface.path(&format!("/pay/{id}/challenge/{}", attempt.id)));
            }
        }
        (Outcome::Pending, _) => return see_other(surface.path(&format!("/pay/{id}/return"))),
        _ => {}
    }
    let mut session = session;
    if session.state().status == Status::Open && session.launched_at.is_none() {
        let ip = client_ip(&state, request.extensions(), request.headers());
        match state.store.mark_opened(&id, &customer_context(&state, request.headers(), ip)).await {
            // Opening changed the session's version: the page must carry the
            // new one, or its watch would reload it under the customer's hands.
            Ok(()) => session = state.store.session(&id).await.ok().flatten().unwrap_or(session),
            Err(e) => tracing::warn!(error = ?e, "could not record that the page was opened"),
        }
    }
    // A card form the server refused comes back with its problems and the
    // email typed; while the session is open only (it may have moved on).
    let refused = match session.state().status {
        Status::Open => super::refused::read(&state, &super::refused::pay_key(&id)).await.unwrap_or_default(),
        _ => Default::default(),
    };
    let email = Some(refused.email).filter(|e| !e.is_empty());
    let w = words_for(session.locale.as_deref(), request.headers());
    let page = checkout_page(&state, &session, refused.problems, email, &w).await;
    render_for(&state, surface, &session, page, w, StatusCode::OK, request).await
}

async fn show_return(
    State(state): State<AppState>,
    Path(id): Path<String>,
    surface: Surface,
    request: Request,
) -> Response {
    let session = match session_for(&state, &id, surface, (request.uri(), request.headers())).await {
        Ok(session) => session,
        Err(answer) => return answer,
    };
    let w = words_for(session.locale.as_deref(), request.headers());
    match return_page(&state, &session, &w).await {
        Some(page) => render_for(&state, surface, &session, page, w, StatusCode::OK, request).await,
        None => see_other(surface.path(&format!("/pay/{id}"))),
    }
}

async fn show_challenge(
    State(state): State<AppState>,
    Path((id, attempt_id)): Path<(String, String)>,
    surface: Surface,
    request: Request,
) -> Response {
    // The session first: if its time is up, it expires now and the
    // challenge with it, and the checkout page says so.
    let session = match session_for(&state, &id, surface, (request.uri(), request.headers())).await {
        Ok(session) => session,
        Err(answer) => return answer,
    };
    let attempt = match waiting_challenge(&state, &id, &attempt_id).await {
        Ok(Some(attempt)) => attempt,
        Ok(None) => return see_other(surface.path(&format!("/pay/{id}"))),
        Err(e) => return server_error(e),
    };
    let w = words_for(session.locale.as_deref(), request.headers());
    let order = super::view::order(&state, &session, &w).await;
    let card = crate::i18n::card(&w, &attempt.method_brand, &attempt.method_last4);
    let processor = match super::view::processor_of(&state, &session).await {
        // Without it (Stripe unreachable) the page says the check could not load.
        Some(processor) => Some((processor, client_secret(&state, &session, &attempt).await.unwrap_or_default())),
        None => None,
    };
    let page = Page::Challenge(ChallengeView { order, attempt_id, card, processor });
    render_for(&state, surface, &session, page, w, StatusCode::OK, request).await
}

/// The client secret Stripe.js needs for the attempt's 3-D Secure, read
/// from Stripe each time (Kassa does not keep it).
async fn client_secret(
    state: &AppState,
    session: &crate::store::SessionRecord,
    attempt: &crate::store::AttemptRecord,
) -> Option<String> {
    let stripe = state.providers.stripe_of(&state.store, &state.sealer, &session.site_id).await.ok()??;
    stripe.client_secret(attempt).await.map_err(|e| tracing::warn!(error = %e, "no client secret")).ok()
}

/// The session's attempt, while it still waits for the customer's answer.
pub(super) async fn waiting_challenge(
    state: &AppState,
    session_id: &str,
    attempt_id: &str,
) -> Result<Option<crate::store::AttemptRecord>, StoreError> {
    let attempt = state.store.attempt(attempt_id).await?;
    Ok(attempt.filter(|a| a.session_id == session_id && a.status == AttemptStatus::RequiresAction))
}

/// What this Kassa is, for whoever opens its address.
async fn home(State(state): State<AppState>, request: Request) -> Response {
    let page = Page::Home { public_url: state.public_url.clone() };
    let w = words_for(None, request.headers());
    render(&state, page, w, StatusCode::OK, request).await
}

/// The customer's receipt: reached only through the link in their email.
async fn show_receipt(State(state): State<AppState>, Path(token): Path<String>, request: Request) -> Response {
    let session = match state.store.session_by_portal_token(&token).await {
        Ok(Some(session)) => session,
        Ok(None) => return not_found(&state, Surface::Hosted, request).await,
        Err(e) => return server_error(e),
    };
    let w = words_for(session.locale.as_deref(), request.headers());
    match super::view::receipt_page(&state, &session, &w).await {
        Ok(page) => render(&state, page, w, StatusCode::OK, request).await,
        Err(e) => server_error(e),
    }
}
