//! Managing webhook endpoints from the dashboard: add, enable or disable,
//! roll the secret, send a test event, delete; with each endpoint's latest
//! deliveries.

use super::{auth::Signed, field, form_fields, not_found, server_error, when};
use crate::{
    pages::render_with,
    store::{EndpointChange, Login},
    webhooks::{self, EVENT_TYPES},
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, EndpointRow, Nav, WebhooksView};
use axum::{
    extract::{Path, Query, Request, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
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
    let nav = Nav { merchant_name: login.merchant_name, email: login.email, csrf: login.csrf_token };
    render_with(state, DashboardPage::Webhooks { nav, view }, dashboard_shell, status, request).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    Signed(login): Signed,
    done: Result<Query<Done>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Response {
    let notice = done.ok().and_then(|Query(d)| {
        Some(
            match d.done.as_str() {
                "toggle" => "Endpoint updated.",
                "test" => "A test event is on its way.",
                "delete" => "Endpoint deleted: nothing more is sent to it.",
                _ => return None,
            }
            .to_string(),
        )
    });
    page(&state, login, (None, notice, None), StatusCode::OK, request).await
}

pub async fn create(State(state): State<AppState>, signed: Signed, request: Request) -> Response {
    let (parts, fields) = form_fields(request).await;
    if let Err(refused) = signed.check_csrf(field(&fields, "csrf")) {
        return *refused;
    }
    let again = |parts| Request::from_parts(parts, axum::body::Body::empty());
    let url = field(&fields, "url").trim().to_string();
    if let Err(why) = webhooks::check_url(&url, state.webhooks_allow_private) {
        return page(&state, signed.0, (None, None, Some(why)), StatusCode::BAD_REQUEST, again(parts)).await;
    }
    let events: Vec<&str> = fields.iter().filter(|(k, _)| k == "events").map(|(_, v)| v.as_str()).collect();
    if let Some(unknown) = events.iter().find(|e| !EVENT_TYPES.contains(e)) {
        let why = format!("`{unknown}` is not an event type.");
        return page(&state, signed.0, (None, None, Some(why)), StatusCode::BAD_REQUEST, again(parts)).await;
    }
    let types = if events.is_empty() { "*".to_string() } else { events.join(" ") };
    let secret = webhooks::new_secret();
    match state.store.create_endpoint(&signed.0.merchant_id, &url, None, &types, &state.sealer.seal(&secret)).await {
        Ok(endpoint) => {
            let notice = Some("Endpoint added.".to_string());
            page(&state, signed.0, (Some((endpoint.id, secret)), notice, None), StatusCode::CREATED, again(parts)).await
        }
        Err(e) => server_error(e),
    }
}

/// An action on one of the merchant's endpoints.
pub async fn act(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, verb)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (parts, fields) = form_fields(request).await;
    if let Err(refused) = signed.check_csrf(field(&fields, "csrf")) {
        return *refused;
    }
    let merchant = signed.0.merchant_id.clone();
    let endpoint = match state.store.endpoint(&merchant, &id).await {
        Ok(Some(endpoint)) => endpoint,
        Ok(None) => return not_found(),
        Err(e) => return server_error(e),
    };
    let result = match verb.as_str() {
        "toggle" => {
            let change = EndpointChange { enabled: Some(endpoint.status != "enabled"), ..Default::default() };
            state.store.update_endpoint(&merchant, &id, &change).await.map(drop)
        }
        "test" => state.store.send_test_event(&endpoint).await.map(drop),
        "delete" => state.store.delete_endpoint(&merchant, &id).await,
        "roll" => {
            let secret = webhooks::new_secret();
            let until = crate::time::now_ms() + 24 * 60 * 60 * 1000;
            return match state.store.roll_endpoint_secret(&merchant, &id, &state.sealer.seal(&secret), until).await {
                Ok(_) => {
                    let notice = Some("New secret made; the old one also signs for the next 24 hours.".to_string());
                    let request = Request::from_parts(parts, axum::body::Body::empty());
                    page(&state, signed.0, (Some((id, secret)), notice, None), StatusCode::OK, request).await
                }
                Err(e) => server_error(e),
            };
        }
        _ => return not_found(),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/dashboard/webhooks?done={verb}")).into_response(),
        Err(e) => server_error(e),
    }
}
