//! Payment links in the dashboard: create, rename, switch on and off, with
//! each link's figures and its QR code.

use super::notices::{self, Notice};
use super::{auth::Signed, server_error};
use crate::{
    new_link::{new_link, CreateLinkRequest},
    new_session::currency_exponent,
    pages::functions::unavailable,
    pages::render_with,
    store::Login,
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, LinkRow, LinksView};
use app::desk::{LinkAction, NewLinkForm};
use app::failure::Failure;
use app::money::{format_amount, parse_amount};
use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};

fn qr_svg(url: &str) -> String {
    qrcode::QrCode::new(url.as_bytes())
        .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).build())
        .unwrap_or_default()
}

async fn page(
    state: &AppState,
    login: Login,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
    request: Request,
) -> Response {
    let links = match state.store.links_of(&login.merchant_id).await {
        Ok(links) => links,
        Err(e) => return server_error(e),
    };
    let mut rows = Vec::new();
    for link in links {
        let figures = match state.store.link_figures(&link).await {
            Ok(f) => f,
            Err(e) => return server_error(e),
        };
        let exponent = currency_exponent(&link.currency).unwrap_or(2);
        let money = |minor: i64| format_amount(minor, &link.currency, exponent);
        let price = match (link.amount, link.min_amount, link.max_amount) {
            (Some(a), _, _) => money(a),
            (None, Some(min), Some(max)) => format!("{} – {}", money(min), money(max)),
            _ => String::new(),
        };
        let url = format!("{}/l/{}", state.public_url, link.slug);
        rows.push(LinkRow {
            qr_svg: qr_svg(&url),
            button_snippet: format!(
                "<script src=\"{}/widget.js\" async></script>\n<div data-kassa-buy-button=\"{}\" data-label=\"Buy now\"></div>",
                state.public_url, link.id
            ),
            id: link.id,
            title: link.title,
            url,
            price,
            active: link.active != 0,
            visits: figures.visits,
            sessions: figures.sessions,
            paid: figures.paid,
            revenue: money(figures.revenue),
        });
    }
    let nav = super::nav(login, "/dashboard/links");
    let view = LinksView { links: rows, notice, error };
    render_with(state, DashboardPage::Links { nav, view }, dashboard_shell, status, request).await
}

pub async fn show(State(state): State<AppState>, Signed(login): Signed, request: Request) -> Response {
    let notice = notices::take(&state, &notices::login_key(&login), LINKS).await;
    page(&state, login, notice.done, notice.error, StatusCode::OK, request).await
}

const LINKS: &str = "/dashboard/links";

/// A new link, checked as the API checks one.
pub async fn create(state: &AppState, login: &Login, form: NewLinkForm) -> Result<String, Failure> {
    let currency = form.currency.trim().to_uppercase();
    let exponent = currency_exponent(&currency).unwrap_or(2);
    let amount = |text: &str| {
        let text = text.trim();
        match text.is_empty() {
            true => Ok(None),
            false => parse_amount(text, exponent).map(Some).ok_or(format!("`{text}` is not an amount.")),
        }
    };
    let key = notices::login_key(login);
    let amounts = (amount(&form.amount), amount(&form.min_amount), amount(&form.max_amount));
    let (amount, min_amount, max_amount) = match amounts {
        (Ok(a), Ok(min), Ok(max)) => (a, min, max),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return notices::keep(state, &key, Notice::refused(LINKS, e)).await
        }
    };
    let request = CreateLinkRequest {
        site_id: None,
        title: form.title.trim().to_string(),
        currency,
        amount,
        min_amount,
        max_amount,
        adjustable_quantity: form.adjustable_quantity,
        max_quantity: None,
        metadata: Default::default(),
        success_url: None,
    };
    let new = match new_link(state, &login.merchant_id, &request).await {
        Ok(new) => new,
        Err(e) if e.is_refusal() => return notices::keep(state, &key, Notice::refused(LINKS, e.to_string())).await,
        Err(e) => return Err(unavailable(e)),
    };
    let link = state.store.create_link(&login.merchant_id, &new).await?;
    notices::keep(state, &key, Notice::done(LINKS, format!("Payment link “{}” made.", link.title))).await
}

pub async fn on_link(state: &AppState, login: &Login, id: &str, action: LinkAction) -> Result<String, Failure> {
    let merchant = &login.merchant_id;
    let link = state.store.link(merchant, id).await?.ok_or(Failure::NotFound)?;
    let key = notices::login_key(login);
    let done = match action {
        LinkAction::Switch => {
            state.store.update_link(merchant, id, None, Some(link.active == 0)).await?;
            if link.active == 0 {
                "Link switched on: it takes payments again."
            } else {
                "Link switched off."
            }
        }
        LinkAction::Rename { title } => {
            let title = title.trim();
            if title.is_empty() || title.chars().count() > 200 {
                return notices::keep(state, &key, Notice::refused(LINKS, "A title is 1 to 200 characters.")).await;
            }
            state.store.update_link(merchant, id, Some(title), None).await?;
            "Link renamed."
        }
    };
    notices::keep(state, &key, Notice::done(LINKS, done)).await
}
