//! `/l/{slug}`: a payment link. A visit makes nothing: the page asks for the
//! amount or quantity, or at a fixed price shows the card form at once. The
//! visitor's first post (`choose_on_link`, or `pay` for the card form) makes
//! the session (source `payment_link`), counted per address so a script
//! cannot mint sessions to test cards on. A refused post goes back to the
//! link's page, which shows why from what was stored (`refused.rs`).

use super::desk::{after_paying, after_refusal};
use super::handlers::client_ip;
use super::refused::{self, Refused};
use super::{surface::Surface, view::checkout_page, view::render_in};
use crate::i18n::words_for;
use crate::pages::failure::server_error;
use crate::{
    new_session::{self, currency_exponent, MAX_AMOUNT},
    payments::{self, PayError},
    store::{LinkRecord, NewSession, SessionRecord, StoreError},
    time::now_ms,
    AppState, Services,
};
use app::checks::PayForm;
use app::desk::LinkChoice;
use app::failure::Failure;
use app::i18n::Words;
use app::money::{format_amount_in, major_units_in, parse_amount};
use app::pages::{LinkError, LinkField, LinkView, Page};
use axum::{
    extract::{Path, Request, State},
    http::{header, StatusCode},
    response::Response,
};
use std::net::IpAddr;

/// A switched-on link by its slug, or by its id (what the widget is given).
async fn live_link(state: &Services, slug: &str) -> Result<Option<LinkRecord>, StoreError> {
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
    refused: Refused,
    request: Request,
) -> Response {
    let w = words_for(None, request.headers());
    let error =
        refused.link_problem.as_deref().and_then(LinkProblem::parse).map(|p| p.words(&w, link, &refused.amount));
    let amount = refused.amount;
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
    render_in(state, Page::Link(view), frame, w, StatusCode::OK, request).await
}

fn money(w: &Words, link: &LinkRecord, minor: i64) -> String {
    format_amount_in(w.lang, minor, &link.currency, currency_exponent(&link.currency).unwrap_or(2))
}

/// The window `KASSA_LINK_SESSIONS_PER_HOUR` counts in.
pub const SESSIONS_WINDOW_MS: i64 = 60 * 60 * 1000;

/// Counts a session about to be made from the visitor's address: whether
/// it is still within `KASSA_LINK_SESSIONS_PER_HOUR`.
async fn may_start_session(state: &Services, client: Option<IpAddr>) -> Result<bool, StoreError> {
    let Some(ip) = client else {
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
    refused: Refused,
    request: Request,
) -> Response {
    let w = words_for(None, request.headers());
    let unsaved = SessionRecord::unsaved(&NewSession {
        id: String::new(),
        ..new_session::for_link(link, link.amount.unwrap_or(0), 1)
    });
    let email = Some(refused.email).filter(|e| !e.is_empty());
    let mut page = checkout_page(state, &unsaved, refused.problems, email, &w).await;
    if let Page::Pay(view) = &mut page {
        view.link = Some(link.slug.clone());
        let problem = refused.link_problem.as_deref().and_then(LinkProblem::parse);
        view.decline = problem.map(|p| p.words(&w, link, "").message);
    }
    let frame = surface.frame(state, Some(&link.site_id)).await;
    render_in(state, page, frame, w, StatusCode::OK, request).await
}

/// Whether a visit comes from a link previewer or crawler (chat apps, search
/// engines): it is neither counted nor shown anything that could make a session.
fn is_crawler(request: &Request) -> bool {
    let agent = request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    woothee::parser::Parser::new().parse(agent).is_some_and(|r| r.category == "crawler")
}

/// A visit makes no session: the link's page asks for the amount or
/// quantity, or, at a fixed price, shows the card form at once; each with
/// what this visitor's last refused post left (`refused.rs`).
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
    let client = client_ip(&state, request.extensions(), request.headers());
    let refused = refused::take(&state, &refused::link_key(&link.id, client)).await;
    // Back from a refused post is the same visit, shown again.
    if refused.is_none() && !is_crawler(&request) {
        if let Err(e) = state.store.count_link_visit(&link.id).await {
            return server_error(e);
        }
    }
    let refused = refused.unwrap_or_default();
    match is_paid_at_once(&link) {
        true => pay_page(&state, surface, &link, refused, request).await,
        false => form_page(&state, surface, &link, refused, request).await,
    }
}

/// A fixed price and no quantity to choose: the link's page is its card form.
fn is_paid_at_once(link: &LinkRecord) -> bool {
    link.amount.is_some() && link.adjustable_quantity == 0
}

/// Why a payment link's post was refused; stored by code, worded on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LinkProblem {
    AmountOutOfRange,
    AmountUnreadable,
    QuantityOutOfRange,
    NoPrice,
    TooManySessions,
}

impl LinkProblem {
    const ALL: [LinkProblem; 5] = [
        LinkProblem::AmountOutOfRange,
        LinkProblem::AmountUnreadable,
        LinkProblem::QuantityOutOfRange,
        LinkProblem::NoPrice,
        LinkProblem::TooManySessions,
    ];

    fn code(self) -> &'static str {
        match self {
            LinkProblem::AmountOutOfRange => "amount_out_of_range",
            LinkProblem::AmountUnreadable => "amount_unreadable",
            LinkProblem::QuantityOutOfRange => "quantity_out_of_range",
            LinkProblem::NoPrice => "no_price",
            LinkProblem::TooManySessions => "too_many_sessions",
        }
    }

    fn parse(code: &str) -> Option<LinkProblem> {
        LinkProblem::ALL.into_iter().find(|p| p.code() == code)
    }

    /// What the page says, and about which input; `amount` is the amount
    /// the customer chose (the quantity's limit depends on it).
    fn words(self, w: &Words, link: &LinkRecord, amount: &str) -> LinkError {
        let shown = |minor: i64| -> app::i18n::Arg { money(w, link, minor).into() };
        let exponent = currency_exponent(&link.currency).unwrap_or(2);
        let (field, message) = match self {
            LinkProblem::AmountOutOfRange => {
                let (min, max) = (link.min_amount.unwrap_or(0), link.max_amount.unwrap_or(0));
                (Some(LinkField::Amount), w.t_with("link-error-range", &[("min", shown(min)), ("max", shown(max))]))
            }
            LinkProblem::AmountUnreadable => {
                let example = major_units_in(w.lang, link.min_amount.unwrap_or(0), exponent);
                (Some(LinkField::Amount), w.t_with("link-error-amount", &[("example", example.into())]))
            }
            LinkProblem::QuantityOutOfRange => {
                let unit = link.amount.or_else(|| parse_amount(amount, exponent)).unwrap_or(1);
                let max = app::i18n::Arg::Count(most_of(link, unit));
                (Some(LinkField::Quantity), w.t_with("link-error-quantity", &[("max", max)]))
            }
            LinkProblem::NoPrice => (None, w.t("link-error-no-price")),
            LinkProblem::TooManySessions => (None, w.t("link-error-too-many")),
        };
        LinkError { field, message }
    }
}

/// No more than the largest amount Kassa takes (a link made before that
/// was checked could ask for more).
fn most_of(link: &LinkRecord, unit: i64) -> i64 {
    link.max_quantity.min(MAX_AMOUNT / unit.max(1))
}

/// The amount and quantity a choice stands for, or why it cannot be had.
fn read_choice(link: &LinkRecord, choice: &LinkChoice) -> Result<(i64, i64), LinkProblem> {
    let exponent = currency_exponent(&link.currency).unwrap_or(2);
    let unit = match (link.amount, link.min_amount, link.max_amount) {
        (Some(amount), _, _) => amount,
        (None, Some(min), Some(max)) => match parse_amount(&choice.amount, exponent) {
            Some(a) if (min..=max).contains(&a) => a,
            Some(_) => return Err(LinkProblem::AmountOutOfRange),
            None => return Err(LinkProblem::AmountUnreadable),
        },
        _ => return Err(LinkProblem::NoPrice),
    };
    if link.adjustable_quantity == 0 {
        return Ok((unit, 1));
    }
    match choice.quantity.trim().parse::<i64>() {
        Ok(q) if (1..=most_of(link, unit)).contains(&q) => Ok((unit, q)),
        _ => Err(LinkProblem::QuantityOutOfRange),
    }
}

/// The post of a link's amount or quantity: makes the session and sends the
/// customer to pay it, or back to the link's page saying why not.
pub async fn choose(
    state: &AppState,
    surface: Surface,
    slug: &str,
    choice: LinkChoice,
    client: Option<IpAddr>,
) -> Result<String, Failure> {
    let link = live_link(state, slug).await?.ok_or(Failure::NotFound)?;
    let key = refused::link_key(&link.id, client);
    let back = surface.path(&format!("/l/{}", link.slug));
    let refusal = |problem: LinkProblem| Refused {
        link_problem: Some(problem.code().to_string()),
        amount: choice.amount.chars().take(40).collect(),
        ..Refused::default()
    };
    let (unit, quantity) = match read_choice(&link, &choice) {
        Ok(chosen) => chosen,
        Err(problem) => {
            refused::keep(state, &key, &refusal(problem)).await?;
            return Ok(back);
        }
    };
    if !may_start_session(state, client).await? {
        refused::keep(state, &key, &refusal(LinkProblem::TooManySessions)).await?;
        return Ok(back);
    }
    let session = state.store.create_session(new_session::for_link(&link, unit, quantity)).await?;
    refused::forget(state, &key).await;
    Ok(surface.path(&format!("/pay/{}", session.id)))
}

/// A fixed-price link's card form posted: the session is made and paid in
/// one go. Mistakes in the form go back to the link's page before any
/// session exists, with the email kept and the card never echoed.
pub async fn pay_at_once(
    state: &AppState,
    surface: Surface,
    slug: &str,
    form: PayForm,
    client: Option<IpAddr>,
) -> Result<String, Failure> {
    let link = live_link(state, slug).await?.filter(is_paid_at_once).ok_or(Failure::NotFound)?;
    let key = refused::link_key(&link.id, client);
    let back = surface.path(&format!("/l/{}", link.slug));
    let card = match payments::check(&form) {
        Ok(card) => card,
        Err(problems) => {
            refused::keep(state, &key, &Refused::card(&problems, &form.email)).await?;
            return Ok(back);
        }
    };
    if !may_start_session(state, client).await? {
        let mut refusal = Refused::card(&[], &form.email);
        refusal.link_problem = Some(LinkProblem::TooManySessions.code().to_string());
        refused::keep(state, &key, &refusal).await?;
        return Ok(back);
    }
    refused::forget(state, &key).await;
    let session = state.store.create_session(new_session::for_link(&link, link.amount.unwrap_or(0), 1)).await?;
    match payments::pay_card(state, &session.id, card, &form.email, client).await {
        Ok(result) => Ok(after_paying(surface, &session.id, result)),
        Err(PayError::Refused(e)) => after_refusal(surface, &session.id, e),
        Err(PayError::Invalid(_)) => Ok(surface.path(&format!("/pay/{}", session.id))),
        Err(e @ PayError::Provider(_)) => Err(e.into()),
    }
}
