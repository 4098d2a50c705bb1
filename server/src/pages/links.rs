//! `/l/{slug}`: a payment link. A visit makes nothing: the page asks for the
//! amount or quantity, or at a fixed price shows the card form at once. The
//! visitor's first post makes the session (source `payment_link`), counted
//! per address so a script cannot mint sessions to test cards on.

use super::handlers::{after_paying, after_refusal, client_ip};
use super::{surface::Surface, view::checkout_page, view::render_in};
use crate::failure::server_error;
use crate::i18n::words_for;
use crate::{
    ids::new_id,
    new_session::{currency_exponent, MAX_AMOUNT},
    payments::{self, PayError, PayForm},
    store::{LinkRecord, NewSession, SessionRecord, StoreError},
    time::{now_ms, year_month},
    AppState,
};
use app::checks::{check_form, FormInput};
use app::i18n::Words;
use app::money::{format_amount_in, major_units_in, parse_amount};
use app::pages::{LinkError, LinkField, LinkView, Page};
use axum::{
    extract::{Path, Request, State},
    http::{header, request::Parts, StatusCode},
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

/// The session a link makes for an order of `quantity` at `unit_amount`.
fn new_session(link: &LinkRecord, unit_amount: i64, quantity: i64) -> NewSession {
    NewSession {
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
    }
}

/// The window `KASSA_LINK_SESSIONS_PER_HOUR` counts in.
pub const SESSIONS_WINDOW_MS: i64 = 60 * 60 * 1000;

/// Counts a session about to be made from the visitor's address: whether
/// it is still within `KASSA_LINK_SESSIONS_PER_HOUR`.
async fn may_start_session(state: &AppState, parts: &Parts) -> Result<bool, StoreError> {
    let Some(ip) = client_ip(state, &parts.extensions, &parts.headers) else {
        return Ok(true);
    };
    let (made, _) = state.store.count_try(&format!("link-ip:{ip}"), now_ms(), SESSIONS_WINDOW_MS).await?;
    Ok(made <= state.limits.link_sessions_per_hour)
}

/// A fixed-price link's card form, shown before any session exists: paying
/// posts to the link, which makes the session then.
async fn pay_page(
    state: &AppState,
    surface: Surface,
    link: &LinkRecord,
    problems: Vec<String>,
    (email, decline): (Option<String>, Option<String>),
    status: StatusCode,
    request: Request,
) -> Response {
    let w = words_for(None, request.headers());
    let unsaved =
        SessionRecord::unsaved(&NewSession { id: String::new(), ..new_session(link, link.amount.unwrap_or(0), 1) });
    let mut page = checkout_page(state, &unsaved, problems, email, &w).await;
    if let Page::Pay(view) = &mut page {
        view.link = Some(link.slug.clone());
        view.decline = decline;
    }
    let frame = surface.frame(state, Some(&link.site_id)).await;
    render_in(state, page, frame, w, status, request).await
}

/// Whether a visit comes from a link previewer or crawler (chat apps, search
/// engines): it is neither counted nor shown anything that could make a session.
fn is_crawler(request: &Request) -> bool {
    let agent = request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    woothee::parser::Parser::new().parse(agent).is_some_and(|r| r.category == "crawler")
}

/// A visit makes no session: the link's page asks for the amount or
/// quantity, or, at a fixed price, shows the card form at once.
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
    if !is_crawler(&request) {
        if let Err(e) = state.store.count_link_visit(&link.id).await {
            return server_error(e);
        }
    }
    match (link.amount, link.adjustable_quantity != 0) {
        (Some(_), false) => pay_page(&state, surface, &link, Vec::new(), (None, None), StatusCode::OK, request).await,
        _ => form_page(&state, surface, &link, String::new(), None, StatusCode::OK, request).await,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LinkForm {
    amount: String,
    quantity: String,
}

/// The visitor's first post makes the session: the payment itself at a
/// fixed price, else the chosen amount or quantity.
pub async fn choose(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    surface: Surface,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024).await.unwrap_or_default();
    let form: LinkForm = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let again = |parts| Request::from_parts(parts, axum::body::Body::empty());
    let link = match live_link(&state, &slug).await {
        Ok(Some(link)) => link,
        Ok(None) => return unavailable(&state, surface, again(parts)).await,
        Err(e) => return server_error(e),
    };
    if let (Some(_), false) = (link.amount, link.adjustable_quantity != 0) {
        let card: PayForm = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        return pay_at_once(&state, surface, &link, card, parts).await;
    }
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
    let (unit, quantity) = match (unit, quantity) {
        (Ok(unit), Ok(quantity)) => (unit, quantity),
        (Err(e), _) | (_, Err(e)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return form_page(&state, surface, &link, form.amount.clone(), Some(e), status, again(parts)).await;
        }
    };
    match may_start_session(&state, &parts).await {
        Ok(true) => {}
        Ok(false) => {
            let e = about(None, w.t("link-error-too-many"));
            let status = StatusCode::TOO_MANY_REQUESTS;
            return form_page(&state, surface, &link, form.amount.clone(), Some(e), status, again(parts)).await;
        }
        Err(e) => return server_error(e),
    }
    match state.store.create_session(new_session(&link, unit, quantity)).await {
        Ok(session) => Redirect::to(&surface.path(&format!("/pay/{}", session.id))).into_response(),
        Err(e) => server_error(e),
    }
}

/// A fixed-price link's card form posted: the session is made and paid in
/// one go. Mistakes in the form come back before any session exists.
async fn pay_at_once(state: &AppState, surface: Surface, link: &LinkRecord, card: PayForm, parts: Parts) -> Response {
    let input =
        FormInput { email: &card.email, number: &card.card_number, expiry: &card.card_expiry, cvc: &card.card_cvc };
    let refused = match check_form(&input, year_month(now_ms())) {
        Err(problems) => Some((problems.iter().map(|p| p.code().to_string()).collect(), None)),
        Ok(_) => match may_start_session(state, &parts).await {
            Ok(true) => None,
            Ok(false) => Some((Vec::new(), Some(words_for(None, &parts.headers).t("link-error-too-many")))),
            Err(e) => return server_error(e),
        },
    };
    if let Some((problems, decline)) = refused {
        let status = if decline.is_some() { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNPROCESSABLE_ENTITY };
        // The email is kept; the card fields are never echoed.
        let shown = (Some(card.email.clone()), decline);
        let request = Request::from_parts(parts, axum::body::Body::empty());
        return pay_page(state, surface, link, problems, shown, status, request).await;
    }
    let session = match state.store.create_session(new_session(link, link.amount.unwrap_or(0), 1)).await {
        Ok(session) => session,
        Err(e) => return server_error(e),
    };
    let client = client_ip(state, &parts.extensions, &parts.headers);
    match payments::pay(state, &session.id, &card, client).await {
        Ok(result) => after_paying(surface, &session.id, result),
        Err(PayError::Refused(e)) => after_refusal(surface, &session.id, e),
        // Checked above; the session's own page says it again if it ever differs.
        Err(PayError::Invalid(_)) => Redirect::to(&surface.path(&format!("/pay/{}", session.id))).into_response(),
    }
}
