//! Payment links in the dashboard: create, rename, switch on and off, with
//! each link's figures and its QR code.

use super::{auth::Signed, field, form_fields, not_found, server_error};
use crate::{
    api::{new_link, CreateLinkRequest},
    new_session::currency_exponent,
    pages::render_with,
    store::Login,
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, LinkRow, LinksView, Nav};
use app::money::{format_amount, parse_amount};
use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
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
    let nav = Nav { merchant_name: login.merchant_name, email: login.email, csrf: login.csrf_token };
    let view = LinksView { links: rows, notice, error };
    render_with(state, DashboardPage::Links { nav, view }, dashboard_shell, status, request).await
}

pub async fn show(State(state): State<AppState>, Signed(login): Signed, request: Request) -> Response {
    page(&state, login, None, None, StatusCode::OK, request).await
}

pub async fn create(State(state): State<AppState>, signed: Signed, request: Request) -> Response {
    let (parts, fields) = form_fields(request).await;
    if let Err(refused) = signed.check_csrf(field(&fields, "csrf")) {
        return *refused;
    }
    let again = |parts| Request::from_parts(parts, axum::body::Body::empty());
    let currency = field(&fields, "currency").to_uppercase();
    let exponent = currency_exponent(&currency).unwrap_or(2);
    let amount = |name: &str| {
        let text = field(&fields, name);
        if text.is_empty() {
            Ok(None)
        } else {
            parse_amount(text, exponent).map(Some).ok_or(format!("`{text}` is not an amount."))
        }
    };
    let amounts = (amount("amount"), amount("min_amount"), amount("max_amount"));
    let (amount, min_amount, max_amount) = match amounts {
        (Ok(a), Ok(min), Ok(max)) => (a, min, max),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return page(&state, signed.0, None, Some(e), StatusCode::BAD_REQUEST, again(parts)).await
        }
    };
    let request = CreateLinkRequest {
        site_id: None,
        title: field(&fields, "title").to_string(),
        currency,
        amount,
        min_amount,
        max_amount,
        adjustable_quantity: field(&fields, "adjustable_quantity") == "true",
        max_quantity: None,
        metadata: Default::default(),
        success_url: None,
    };
    let made = match new_link(&state, &signed.0.merchant_id, &request).await {
        Ok(new) => state.store.create_link(&signed.0.merchant_id, &new).await.map_err(crate::error::ApiError::from),
        Err(e) => Err(e),
    };
    match made {
        Ok(_) => Redirect::to("/dashboard/links").into_response(),
        Err(e) => page(&state, signed.0, None, Some(e.to_string()), StatusCode::BAD_REQUEST, again(parts)).await,
    }
}

pub async fn act(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, verb)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (_, fields) = form_fields(request).await;
    if let Err(refused) = signed.check_csrf(field(&fields, "csrf")) {
        return *refused;
    }
    let merchant = &signed.0.merchant_id;
    let link = match state.store.link(merchant, &id).await {
        Ok(Some(link)) => link,
        Ok(None) => return not_found(),
        Err(e) => return server_error(e),
    };
    let title = field(&fields, "title");
    let result = match verb.as_str() {
        "toggle" => state.store.update_link(merchant, &id, None, Some(link.active == 0)).await,
        "title" if !title.is_empty() && title.chars().count() <= 200 => {
            state.store.update_link(merchant, &id, Some(title), None).await
        }
        "title" => return (StatusCode::BAD_REQUEST, "A title is 1 to 200 characters.").into_response(),
        _ => return not_found(),
    };
    match result {
        Ok(_) => Redirect::to("/dashboard/links").into_response(),
        Err(e) => server_error(e),
    }
}
