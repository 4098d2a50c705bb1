//! Managing webhook endpoints from the dashboard: add, enable or disable,
//! roll the secret, send a test event, delete; with each endpoint's latest
//! deliveries.

use super::notices::{self, Notice};
use super::{auth::Signed, server_error, when};
use crate::{
    pages::render_with,
    store::{EndpointChange, Login},
    webhooks::{self, EVENT_TYPES},
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, EndpointRow, WebhooksView};
use app::desk::EndpointAction;
use app::failure::Failure;
use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};

async fn page(
    state: &AppState,
    login: Login,
    extra: (Option<(String, String)>, Option<String>, Option<String>),
    status: StatusCode,
    request: Request,
) -> Response {
    let (new_secret, notice, error) = extra;
    let endpoints = match state.store.endpoints_of(&login.merchant_id).await {
        Ok(endpoints) => endpoints,
        Err(e) => return server_error(e),
    };
    let mut rows = Vec::new();
    for e in endpoints {
        let mut deliveries = Vec::new();
        for d in state.store.deliveries_of_endpoint(&e.id, 10).await.unwrap_or_default() {
            let kind = state.store.event_by_id(&d.event_id).await.ok().flatten().map(|ev| ev.kind).unwrap_or_default();
            let last = state.store.webhook_attempts(&d.id).await.unwrap_or_default().pop().map(|a| {
                match (a.http_status, a.error) {
                    (Some(code), _) => format!("{code} in {} ms", a.latency_ms),
                    (None, Some(error)) => error,
                    (None, None) => String::new(),
                }
            });
            deliveries.push((when(d.created_at), kind, d.status, last.unwrap_or_else(|| "not sent yet".into())));
        }
        rows.push(EndpointRow {
            id: e.id,
            url: e.url,
            events: if e.event_types == "*" { "all".into() } else { e.event_types.replace(' ', ", ") },
            status: e.status,
            disabled_reason: e.disabled_reason,
            deliveries,
        });
    }
    let view = WebhooksView {
        endpoints: rows,
        event_types: EVENT_TYPES.iter().map(|s| s.to_string()).collect(),
        new_secret,
        notice,
        error,
    };
    let nav = super::nav(login, "/dashboard/webhooks");
    render_with(state, DashboardPage::Webhooks { nav, view }, dashboard_shell, status, request).await
}

pub async fn show(State(state): State<AppState>, Signed(login): Signed, request: Request) -> Response {
    let notice = notices::take(&state, &notices::login_key(&login), WEBHOOKS).await;
    // Shown this once: it was sealed only for the way here.
    let secret = notice.secret.and_then(|(id, sealed)| state.sealer.open(&sealed).map(|secret| (id, secret)));
    page(&state, login, (secret, notice.done, notice.error), StatusCode::OK, request).await
}

const WEBHOOKS: &str = "/dashboard/webhooks";

/// A new endpoint for the ticked events (none: every event); its signing
/// secret is shown on the page this leads to, once.
pub async fn create(state: &AppState, login: &Login, url: String, events: Vec<String>) -> Result<String, Failure> {
    let key = notices::login_key(login);
    let url = url.trim().to_string();
    if let Err(why) = webhooks::check_url(&url, state.webhooks_allow_private) {
        return notices::keep(state, &key, Notice::refused(WEBHOOKS, why)).await;
    }
    if let Some(unknown) = events.iter().find(|e| !EVENT_TYPES.contains(&e.as_str())) {
        let why = format!("`{unknown}` is not an event type.");
        return notices::keep(state, &key, Notice::refused(WEBHOOKS, why)).await;
    }
    let types = if events.is_empty() { "*".to_string() } else { events.join(" ") };
    let secret = webhooks::new_secret();
    let endpoint =
        state.store.create_endpoint(&login.merchant_id, &url, None, &types, &state.sealer.seal(&secret)).await?;
    let notice =
        Notice { secret: Some((endpoint.id, state.sealer.seal(&secret))), ..Notice::done(WEBHOOKS, "Endpoint added.") };
    notices::keep(state, &key, notice).await
}

/// An action on one of the merchant's endpoints.
pub async fn on_endpoint(state: &AppState, login: &Login, id: &str, action: EndpointAction) -> Result<String, Failure> {
    let merchant = &login.merchant_id;
    let endpoint = state.store.endpoint(merchant, id).await?.ok_or(Failure::NotFound)?;
    let notice = match action {
        EndpointAction::Switch => {
            let change = EndpointChange { enabled: Some(endpoint.status != "enabled"), ..Default::default() };
            state.store.update_endpoint(merchant, id, &change).await?;
            Notice::done(WEBHOOKS, "Endpoint updated.")
        }
        EndpointAction::SendTest => {
            state.store.send_test_event(&endpoint).await?;
            Notice::done(WEBHOOKS, "A test event is on its way.")
        }
        EndpointAction::Delete => {
            state.store.delete_endpoint(merchant, id).await?;
            Notice::done(WEBHOOKS, "Endpoint deleted: nothing more is sent to it.")
        }
        EndpointAction::RollSecret => {
            let secret = webhooks::new_secret();
            let until = crate::time::now_ms() + 24 * 60 * 60 * 1000;
            state.store.roll_endpoint_secret(merchant, id, &state.sealer.seal(&secret), until).await?;
            let done = "New secret made; the old one also signs for the next 24 hours.";
            Notice { secret: Some((id.to_string(), state.sealer.seal(&secret))), ..Notice::done(WEBHOOKS, done) }
        }
    };
    notices::keep(state, &notices::login_key(login), notice).await
}
