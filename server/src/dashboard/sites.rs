//! Sites in the dashboard: the name customers see, the checkout's logo and
//! accent colour, the origins whose pages may embed the checkout, with the
//! snippet to paste, and where the site's live payments go.

use super::notices::{self, Notice};
use super::{auth::Signed, server_error};
use crate::{
    branding,
    domain_error::DomainError,
    origins,
    pages::render_with,
    provider_route::{self, RouteRequest},
    store::{Login, SiteChange},
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, RouteRow, SiteRow, SitesView};
use app::desk::{RouteForm, SiteForm};
use app::failure::Failure;
use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};

fn snippet(public_url: &str) -> String {
    format!("<script src=\"{public_url}/widget.js\" async></script>\n<div data-kassa-session=\"cs_...\"></div>")
}

async fn page(
    state: &AppState,
    login: Login,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
    request: Request,
) -> Response {
    let sites = match state.store.sites_of(&login.merchant_id).await {
        Ok(sites) => sites,
        Err(e) => return server_error(e),
    };
    let mut rows = Vec::with_capacity(sites.len());
    for site in sites {
        let route = match state.store.provider_route(&site.id).await {
            Ok(route) => route.map(|route| RouteRow {
                live_keys: route.publishable_key.starts_with("pk_live_"),
                provider: route.provider,
                publishable_key: route.publishable_key,
                secret_key_last4: route.secret_key_last4,
                updated: super::when(route.updated_at),
            }),
            Err(e) => return server_error(e),
        };
        rows.push(SiteRow {
            route,
            stripe_webhook_url: provider_route::webhook_url(&state.public_url, "stripe", &site.id),
            origins: site.origins().join("\n"),
            snippet: snippet(&state.public_url),
            button_text: site.accent_color.as_deref().map(branding::text_on).map(str::to_string),
            display_name: site.display_name.unwrap_or_default(),
            logo_url: site.logo_url.unwrap_or_default(),
            accent_color: site.accent_color.unwrap_or_default(),
            id: site.id,
            name: site.name,
        });
    }
    let nav = super::nav(login, "/dashboard/sites");
    let view = SitesView { sites: rows, notice, error };
    render_with(state, DashboardPage::Sites { nav, view }, dashboard_shell, status, request).await
}

pub async fn show(State(state): State<AppState>, Signed(login): Signed, request: Request) -> Response {
    let notice = notices::take(&state, &notices::login_key(&login), SITES).await;
    page(&state, login, notice.done, notice.error, StatusCode::OK, request).await
}

const SITES: &str = "/dashboard/sites";

/// A site's name, look and origins, each checked as the API checks them.
pub async fn save(state: &AppState, login: &Login, id: &str, form: SiteForm) -> Result<String, Failure> {
    let key = notices::login_key(login);
    let refuse = |why: String| notices::keep(state, &key, Notice::refused(SITES, why));
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return refuse("A site's name is 1 to 100 characters.".into()).await;
    }
    let origins = match origins::parse_all(form.origins.lines()) {
        Ok(origins) => origins,
        Err(why) => return refuse(why).await,
    };
    let checked = branding::check(Some(&form.display_name), Some(&form.logo_url), Some(&form.accent_color));
    let (display_name, logo_url, accent_color) = match checked {
        Ok(checked) => checked,
        Err(refused) => return refuse(refused.message).await,
    };
    let change = SiteChange {
        name: Some(name),
        origins: Some(&origins),
        display_name: display_name.as_deref(),
        logo_url: logo_url.as_deref(),
        accent_color: accent_color.as_deref(),
    };
    let site = state.store.update_site(&login.merchant_id, id, &change).await?;
    notices::keep(state, &key, Notice::done(SITES, format!("“{}” saved.", site.name))).await
}

/// A site's provider route, checked and sealed as the API does it; a
/// refusal names the field to fix. The secrets are not kept in the notice.
pub async fn save_route(state: &AppState, login: &Login, id: &str, form: RouteForm) -> Result<String, Failure> {
    let key = notices::login_key(login);
    let request = RouteRequest {
        provider: form.provider,
        secret_key: form.secret_key,
        publishable_key: form.publishable_key,
        webhook_secret: form.webhook_secret,
    };
    let notice = match provider_route::set_route(state, &login.merchant_id, id, request).await {
        Ok(route) => Notice::done(
            SITES,
            format!("Live payments now go to {} (secret key ending {}).", route.provider, route.secret_key_last4),
        ),
        Err(DomainError::NotFound { .. }) => return Err(Failure::NotFound),
        Err(refused) if refused.is_refusal() => Notice::refused(SITES, format!("Not saved: {refused}.")),
        Err(e) => return Err(crate::pages::functions::unavailable(e)),
    };
    notices::keep(state, &key, notice).await
}
