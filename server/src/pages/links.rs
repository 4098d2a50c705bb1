//! `/l/{slug}`: a payment link. Every visit makes a fresh session (source
//! `payment_link`) and sends the customer to its hosted page; a link with a
//! customer-chosen amount or quantity asks for it first.

use super::{surface::Surface, view::render_in};
use crate::failure::server_error;
use crate::i18n::words_for;
use crate::{
    ids::new_id,
    new_session::{currency_exponent, MAX_AMOUNT},
    store::{LinkRecord, NewSession, StoreError},
    time::now_ms,
    AppState,
};
use app::i18n::Words;
use app::money::{format_amount_in, major_units_in, parse_amount};
use app::pages::{LinkError, LinkField, LinkView, Page};
use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde_json::json;

/// A switched-on link by its slug, or by its id (what the widget is given).
async fn live_link(state: &AppState, slug: &str) -> Result<Option<LinkRecord>, StoreError> {
    let link = match slug.starts_with("plink_") {
        true => state.store.link_by_id(slug).await?,
        false => state.store.link_by_slug(slug).await?,
    };
    Ok(link.filter(|l| l.active != 0))
}

async fn unavailable(state: &AppState, surface: Surface, request: Request) -> Response {
    let frame = surface.frame(state, None).await;
    let w = words_for(None, request.headers());
    render_in(state, Page::LinkUnavailable, frame, w, StatusCode::NOT_FOUND, request).await
}

async fn form_page(
    state: &AppState,
    surface: Surface,
    link: &LinkRecord,
    amount: String,
    error: Option<LinkError>,
    status: StatusCode,
    request: Request,
) -> Response {
    let w = words_for(None, request.headers());
    let shown = |minor: i64| money(&w, link, minor);
    let brand = super::view::brand(state, &link.site_id).await;
    let range = match (link.min_amount, link.max_amount) {
        (Some(min), Some(max)) => {
            Some(w.t_with("link-range", &[("min", shown(min).into()), ("max", shown(max).into())]))
        }
        _ => None,
    };
    let view = LinkView {
        slug: link.slug.clone(),
        title: link.title.clone(),
        brand,
        price: link.amount.map(shown),
        range,
        currency: link.currency.clone(),
        max_quantity: (link.adjustable_quantity != 0).then_some(link.max_quantity),
        amount,
        error,
    };
    let frame = surface.frame(state, Some(&link.site_id)).await;
    render_in(state, Page::Link(view), frame, w, status, request).await
}

fn money(w: &Words, link: &LinkRecord, minor: i64) -> String {
    format_amount_in(w.lang, minor, &link.currency, currency_exponent(&link.currency).unwrap_or(2))
}

/// Makes the link's session and sends the customer to pay it.
async fn checkout(state: &AppState, surface: Surface, link: &LinkRecord, unit_amount: i64, quantity: i64) -> Response {
    let new = NewSession {
        id: new_id("cs"),
        merchant_id: link.merchant_id.clone(),
        site_id: link.site_id.clone(),
        source: app::lifecycle::Source::PaymentLink.as_str(),
        sequence: app::lifecycle::Sequence::OneTime.as_str(),
        capture: app::lifecycle::Capture::Automatic.as_str(),
        amount: unit_amount * quantity,
        currency: link.currency.clone(),
        line_items: json!([{"name": link.title, "quantity": quantity, "unit_amount": unit_amount}]),
        customer_email: None,
        order_id: None,
        metadata: serde_json::from_str(&link.metadata).unwrap_or_else(|_| json!({})),
        success_url: link.success_url.clone(),
        cancel_url: None,
        locale: None,
        expires_at: now_ms() + 24 * 60 * 60 * 1000,
        woocommerce: None,
        payment_link_id: Some(link.id.clone()),
    };
    match state.store.create_session(new).await {
        Ok(session) => Redirect::to(&surface.path(&format!("/pay/{}", session.id))).into_response(),
        Err(e) => server_error(e),
    }
}

pub async fn visit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    surface: Surface,
    request: Request,
) -> Response {
    let link = match live_link(&state, &slug).await {
        Ok(Some(link)) => link,
        Ok(None) => return unavailable(&state, surface, request).await,
        Err(e) => return server_error(e),
    };
    if let Err(e) = state.store.count_link_visit(&link.id).await {
        return server_error(e);
    }
    match (link.amount, link.adjustable_quantity != 0) {
        (Some(amount), false) => checkout(&state, surface, &link, amount, 1).await,
        _ => form_page(&state, surface, &link, String::new(), None, StatusCode::OK, request).await,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LinkForm {
    amount: String,
    quantity: String,
}

pub async fn choose(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    surface: Surface,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let form: LinkForm = match axum::body::to_bytes(body, 16 * 1024).await {
        Ok(bytes) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(_) => LinkForm::default(),
    };
    let again = |parts| Request::from_parts(parts, axum::body::Body::empty());
    let link = match live_link(&state, &slug).await {
        Ok(Some(link)) => link,
        Ok(None) => return unavailable(&state, surface, again(parts)).await,
        Err(e) => return server_error(e),
    };
    let exponent = currency_exponent(&link.currency).unwrap_or(2);
    let w = words_for(None, &parts.headers);
    let shown = |minor: i64| -> app::i18n::Arg { money(&w, &link, minor).into() };
    let about = |field, message| LinkError { field, message };
    let amount_error = |message| about(Some(LinkField::Amount), message);
    let unit = match (link.amount, link.min_amount, link.max_amount) {
        (Some(amount), _, _) => Ok(amount),
        (None, Some(min), Some(max)) => match parse_amount(&form.amount, exponent) {
            Some(a) if (min..=max).contains(&a) => Ok(a),
            Some(_) => Err(amount_error(w.t_with("link-error-range", &[("min", shown(min)), ("max", shown(max))]))),
            None => {
                let example = major_units_in(w.lang, min, exponent);
                Err(amount_error(w.t_with("link-error-amount", &[("example", example.into())])))
            }
        },
        _ => Err(about(None, w.t("link-error-no-price"))),
    };
    // No more than the largest amount Kassa takes (a link made before that
    // was checked could ask for more).
    let most = match &unit {
        Ok(unit) => link.max_quantity.min(MAX_AMOUNT / (*unit).max(1)),
        Err(_) => link.max_quantity,
    };
    let quantity = if link.adjustable_quantity != 0 {
        match form.quantity.trim().parse::<i64>() {
            Ok(q) if (1..=most).contains(&q) => Ok(q),
            _ => {
                let max = app::i18n::Arg::Count(most);
                Err(about(Some(LinkField::Quantity), w.t_with("link-error-quantity", &[("max", max)])))
            }
        }
    } else {
        Ok(1)
    };
    match (unit, quantity) {
        (Ok(unit), Ok(quantity)) => checkout(&state, surface, &link, unit, quantity).await,
        (Err(e), _) | (_, Err(e)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            form_page(&state, surface, &link, form.amount.clone(), Some(e), status, again(parts)).await
        }
    }
}
