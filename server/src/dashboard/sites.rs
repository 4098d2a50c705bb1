//! Sites in the dashboard: the name customers see, the checkout's logo and
//! accent colour, and the origins whose pages may embed the checkout, with
//! the snippet to paste.

use super::{auth::Signed, field, form_fields, not_found, server_error};
use crate::{
    branding, origins,
    pages::render_with,
    store::{Login, SiteChange},
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, Nav, SiteRow, SitesView};
use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

fn snippet(public_url: &str) -> String {
    format!("<script src=\"{public_url}/widget.js\" async></script>\n<div data-kassa-session=\"cs_...\"></div>")
}

async fn page(state: &AppState, login: Login, error: Option<String>, status: StatusCode, request: Request) -> Response {
    let sites = match state.store.sites_of(&login.merchant_id).await {
        Ok(sites) => sites,
        Err(e) => return server_error(e),
    };
    let sites = sites
        .into_iter()
        .map(|site| SiteRow {
            origins: site.origins().join("\n"),
            snippet: snippet(&state.public_url),
            button_text: site.accent_color.as_deref().map(branding::text_on).map(str::to_string),
            display_name: site.display_name.unwrap_or_default(),
            logo_url: site.logo_url.unwrap_or_default(),
            accent_color: site.accent_color.unwrap_or_default(),
            id: site.id,
            name: site.name,
        })
        .collect();
    let nav = Nav { merchant_name: login.merchant_name, email: login.email, csrf: login.csrf_token };
    let view = SitesView { sites, error };
    render_with(state, DashboardPage::Sites { nav, view }, dashboard_shell, status, request).await
}

pub async fn show(State(state): State<AppState>, Signed(login): Signed, request: Request) -> Response {
    page(&state, login, None, StatusCode::OK, request).await
}

pub async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, fields) = form_fields(request).await;
    if let Err(refused) = signed.check_csrf(field(&fields, "csrf")) {
        return *refused;
    }
    let again = |parts| Request::from_parts(parts, axum::body::Body::empty());
    let name = field(&fields, "name");
    if name.is_empty() || name.chars().count() > 100 {
        let error = Some("A site's name is 1 to 100 characters.".to_string());
        return page(&state, signed.0, error, StatusCode::BAD_REQUEST, again(parts)).await;
    }
    let origins = match origins::parse_all(field(&fields, "origins").lines()) {
        Ok(origins) => origins,
        Err(e) => return page(&state, signed.0, Some(e), StatusCode::BAD_REQUEST, again(parts)).await,
    };
    let checked = branding::check(
        Some(field(&fields, "display_name")),
        Some(field(&fields, "logo_url")),
        Some(field(&fields, "accent_color")),
    );
    let (display_name, logo_url, accent_color) = match checked {
        Ok(checked) => checked,
        Err(refused) => {
            return page(&state, signed.0, Some(refused.message), StatusCode::BAD_REQUEST, again(parts)).await
        }
    };
    let change = SiteChange {
        name: Some(name),
        origins: Some(&origins),
        display_name: display_name.as_deref(),
        logo_url: logo_url.as_deref(),
        accent_color: accent_color.as_deref(),
    };
    match state.store.update_site(&signed.0.merchant_id, &id, &change).await {
        Ok(_) => Redirect::to("/dashboard/sites").into_response(),
        Err(crate::store::StoreError::NotFound(..)) => not_found(),
        Err(e) => server_error(e),
    }
}
