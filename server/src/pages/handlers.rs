use super::surface::Surface;
use super::view::{checkout_page, render, render_in, return_page};
use crate::failure::server_error;
use crate::{
    i18n::words_for,
    payments::{self, PayError, PayForm, PayResult},
    store::{ClosedBy, CustomerContext, SessionRecord, StoreError},
    AppState,
};
use app::i18n::Words;
use app::lifecycle::{AttemptStatus, Event, LifecycleError, Outcome, Status};
use app::pages::{ChallengeView, Page};
use axum::{
    body::Body,
    extract::{ConnectInfo, Path, Query, Request, State},
    http::{header, HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Router,
};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};

fn routes() -> Router<AppState> {
    let mut router = Router::new()
        .route("/", get(home))
        .route("/pay/{id}/version", get(version))
        .route("/r/{token}", get(show_receipt));
    for surface in [Surface::Hosted, Surface::Embedded] {
        let at = |path: &str| surface.path(path);
        router = router
            .route(&at("/pay/{id}"), get(show_checkout).post(submit_payment))
            .route(&at("/pay/{id}/return"), get(show_return))
            .route(&at("/pay/{id}/cancel"), post(cancel_checkout))
            .route(&at("/pay/{id}/challenge/{attempt}"), get(show_challenge).post(answer_challenge))
            .route(&at("/l/{slug}"), get(super::links::visit).post(super::links::choose));
    }
    router
}

/// The customer's pages, their forms refused when posted from another site.
pub fn router(state: AppState) -> Router<AppState> {
    routes().route_layer(axum::middleware::from_fn_with_state(state, super::cross_site::refuse_cross_site))
}

/// The session as stored, expired on the spot if its time is up.
async fn fresh(state: &AppState, id: &str) -> Result<Option<SessionRecord>, StoreError> {
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

#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckoutQuery {
    error: String,
}

async fn show_checkout(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<CheckoutQuery>, axum::extract::rejection::QueryRejection>,
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
    let problems = query
        .ok()
        .map(|q| {
            q.error.split(',').filter(|c| app::checks::Problem::from_code(c).is_some()).map(String::from).collect()
        })
        .unwrap_or_default();
    let w = words_for(session.locale.as_deref(), request.headers());
    let page = checkout_page(&state, &session, problems, None, &w).await;
    render_for(&state, surface, &session, page, w, StatusCode::OK, request).await
}

async fn submit_payment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    surface: Surface,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let form: PayForm = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(_) => PayForm::default(),
    };
    let client = client_ip(&state, &parts.extensions, &parts.headers);
    match payments::pay(&state, &id, &form, client).await {
        Err(PayError::Invalid(problems)) => {
            // Shown again right here, with the email kept; the card fields are never echoed.
            let session = match fresh(&state, &id).await {
                Ok(Some(session)) => session,
                Ok(None) => return not_found(&state, surface, Request::from_parts(parts, Body::empty())).await,
                Err(e) => return server_error(e),
            };
            let codes = problems.iter().map(|p| p.code().to_string()).collect();
            let w = words_for(session.locale.as_deref(), &parts.headers);
            let page = checkout_page(&state, &session, codes, Some(form.email.clone()), &w).await;
            let request = Request::from_parts(parts, Body::empty());
            render_for(&state, surface, &session, page, w, StatusCode::UNPROCESSABLE_ENTITY, request).await
        }
        Ok(result) => after_paying(surface, &id, result),
        Err(PayError::Refused(e)) => after_refusal(surface, &id, e),
    }
}

/// Where the customer goes once the pay button did its work.
pub(super) fn after_paying(surface: Surface, id: &str, result: PayResult) -> Response {
    match result {
        PayResult::Succeeded | PayResult::Processing => see_other(surface.path(&format!("/pay/{id}/return"))),
        PayResult::Declined => see_other(surface.path(&format!("/pay/{id}"))),
        PayResult::Challenge(attempt) => see_other(surface.path(&format!("/pay/{id}/challenge/{attempt}"))),
    }
}

/// Where the customer goes when the store refused to start the payment.
pub(super) fn after_refusal(surface: Surface, id: &str, refusal: StoreError) -> Response {
    match refusal {
        // Another click, tab or process got there first: show where it stands.
        StoreError::Conflict | StoreError::Lifecycle(LifecycleError::AttemptInFlight) => {
            see_other(surface.path(&format!("/pay/{id}/return")))
        }
        StoreError::Lifecycle(_) | StoreError::NotFound(..) => see_other(surface.path(&format!("/pay/{id}"))),
        e => server_error(e),
    }
}

/// The customer gives up: the session is cancelled (the merchant hears it
/// by event and webhook), then the customer goes back to the shop, or, in
/// the widget, sees the cancelled checkout that tells the merchant's page.
async fn cancel_checkout(
    State(state): State<AppState>,
    Path(id): Path<String>,
    surface: Surface,
    request: Request,
) -> Response {
    let session = match session_for(&state, &id, surface, (request.uri(), request.headers())).await {
        Ok(session) => session,
        Err(answer) => return answer,
    };
    match state.store.close_session(&id, Event::Cancel, ClosedBy::Customer).await {
        Ok(_) => {}
        // Paid, expired or closed meanwhile, or a payment in flight: the
        // checkout page shows where it stands.
        Err(StoreError::Conflict | StoreError::Lifecycle(_)) => return see_other(surface.path(&format!("/pay/{id}"))),
        Err(e) => return server_error(e),
    }
    match (surface, session.cancel_url) {
        (Surface::Hosted, Some(url)) => see_other(url),
        _ => see_other(surface.path(&format!("/pay/{id}"))),
    }
}

/// Changes whenever the stored session does: the open page polls it.
async fn version(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match fresh(&state, &id).await {
        Ok(Some(session)) => ([(header::CACHE_CONTROL, "no-store")], session.updated_at.to_string()).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => server_error(e),
    }
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
    let page = Page::Challenge(ChallengeView { order, attempt_id, card });
    render_for(&state, surface, &session, page, w, StatusCode::OK, request).await
}

/// The session's attempt, while it still waits for the customer's answer.
async fn waiting_challenge(
    state: &AppState,
    session_id: &str,
    attempt_id: &str,
) -> Result<Option<crate::store::AttemptRecord>, StoreError> {
    let attempt = state.store.attempt(attempt_id).await?;
    Ok(attempt.filter(|a| a.session_id == session_id && a.status() == AttemptStatus::RequiresAction))
}

#[derive(Deserialize)]
struct ChallengeAnswer {
    decision: String,
}

async fn answer_challenge(
    State(state): State<AppState>,
    Path((id, attempt_id)): Path<(String, String)>,
    surface: Surface,
    answer: Result<Form<ChallengeAnswer>, axum::extract::rejection::FormRejection>,
) -> Response {
    let approved = answer.is_ok_and(|Form(a)| a.decision == "approve");
    // Expired now if its time is up, so a late answer reaches no provider.
    if let Err(e) = fresh(&state, &id).await {
        return server_error(e);
    }
    let attempt = match waiting_challenge(&state, &id, &attempt_id).await {
        Ok(Some(attempt)) => attempt,
        Ok(None) => return see_other(surface.path(&format!("/pay/{id}"))),
        Err(e) => return server_error(e),
    };
    match payments::complete_challenge(&state, &attempt, approved).await {
        Ok(PayResult::Declined) => see_other(surface.path(&format!("/pay/{id}"))),
        Ok(_) | Err(StoreError::Conflict | StoreError::Lifecycle(_)) => {
            see_other(surface.path(&format!("/pay/{id}/return")))
        }
        Err(e) => server_error(e),
    }
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
