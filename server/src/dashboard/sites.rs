//! Sites in the dashboard: the name customers see, the checkout's logo and
//! accent colour, and the origins whose pages may embed the checkout, with
//! the snippet to paste.

use super::notices::{self, Notice};
use super::{auth::Signed, server_error};
use crate::{
    branding, origins,
    pages::render_with,
    store::{Login, SiteChange},
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, Nav, SiteRow, SitesView};
use app::desk::SiteForm;
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
    let view = SitesView { sites, notice, error };
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
