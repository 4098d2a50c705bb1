use super::{auth::Signed, server_error, when};
use crate::{
    new_session::currency_exponent,
    pages::render_with,
    store::{DashboardFilter, Login, Search, StoreError},
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, ListQuery, SessionRow, SessionsTable, SessionsView, TabLink};
use app::{money::format_amount, views::Tab};
use axum::{
    extract::{Query, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use leptos::prelude::*;
use serde::Deserialize;
use time::{macros::format_description, Date};

const PAGE_SIZE: i64 = 25;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListParams {
    tab: String,
    q: String,
    source: String,
    from: String,
    to: String,
    after: String,
}

impl ListParams {
    /// The tab and filters these parameters ask for among the live or test
    /// sessions (`livemode`), and what was wrong with them.
    pub fn filter(&self, livemode: bool) -> (Tab, DashboardFilter, Option<String>) {
        let tab = Tab::from_slug(&self.tab).unwrap_or(Tab::All);
        let mut error = None;
        let (created_from, created_before) = match (day_start(&self.from), day_start(&self.to)) {
            (Ok(from), Ok(to)) => (from, to.map(|t| t + 86_400_000)),
            (Err(e), _) | (_, Err(e)) => {
                error = Some(e);
                (None, None)
            }
        };
        let source = app::lifecycle::Source::parse(&self.source).map(|s| s.as_str().to_string());
        let search = Search::parse(&self.q);
        (tab, DashboardFilter { livemode, search, source, created_from, created_before }, error)
    }
}

fn day_start(text: &str) -> Result<Option<i64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let date = Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("`{text}` is not a date; use YYYY-MM-DD."))?;
    Ok(Some(date.midnight().assume_utc().unix_timestamp() * 1000))
}

fn href(query: &ListQuery, tab: &str, after: Option<&str>) -> String {
    let mut pairs = vec![("tab", tab)];
    for (key, value) in [("q", &query.q), ("source", &query.source), ("from", &query.from), ("to", &query.to)] {
        if !value.is_empty() {
            pairs.push((key, value));
        }
    }
    if let Some(after) = after {
        pairs.push(("after", after));
    }
    format!("/dashboard?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

/// One page of the list as the parameters ask for it.
struct Listing {
    records: Vec<crate::store::SessionRecord>,
    has_more: bool,
    after: Option<(i64, String)>,
    error: Option<String>,
}

async fn listing(state: &AppState, login: &Login, params: &ListParams) -> Result<Listing, StoreError> {
    let merchant_id = login.merchant_id.as_str();
    let (tab, filter, mut error) = params.filter(login.live());
    let mut after = None;
    if !params.after.is_empty() {
        match state.store.merchant_session(merchant_id, &params.after).await? {
            Some(cursor) => after = Some((cursor.created_at, cursor.id)),
            None => error = Some("That page is no longer there; here is the first page.".into()),
        }
    }
    let mut records = state.store.dashboard_page(merchant_id, tab, &filter, after.clone(), PAGE_SIZE + 1).await?;
    let has_more = records.len() as i64 > PAGE_SIZE;
    records.truncate(PAGE_SIZE as usize);
    Ok(Listing { records, has_more, after, error })
}

fn row(s: crate::store::SessionRecord) -> SessionRow {
    SessionRow {
        amount: format_amount(s.amount, &s.currency, currency_exponent(&s.currency).unwrap_or(2)),
        state: app::views::dashboard_state(&s.snapshot()).label().to_string(),
        created: when(s.created_at),
        email: s.payer_email.or(s.customer_email).unwrap_or_default(),
        order_id: s.order_id.unwrap_or_default(),
        source: s.source.to_string(),
        id: s.id,
    }
}

pub async fn sessions(
    State(state): State<AppState>,
    Signed(login): Signed,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let (tab, filter, _) = params.filter(login.live());
    let listing = listing(&state, &login, &params).await;
    let counts = state.store.tab_counts(&login.merchant_id, &filter).await;
    let (Listing { records, has_more, after, error }, counts) = match (listing, counts) {
        (Ok(listing), Ok(counts)) => (listing, counts),
        (Err(e), _) | (_, Err(e)) => return server_error(e),
    };
    let query =
        ListQuery { tab: tab.slug().into(), q: params.q, source: params.source, from: params.from, to: params.to };
    let next_href = has_more.then(|| href(&query, tab.slug(), records.last().map(|r| r.id.as_str())));
    let first_href = after.as_ref().map(|_| href(&query, tab.slug(), None));
    let here = href(&query, tab.slug(), after.as_ref().map(|(_, id)| id.as_str()));
    let tabs = counts
        .into_iter()
        .map(|(t, count)| TabLink { label: t.label(), count, href: href(&query, t.slug(), None), current: t == tab })
        .collect();
    let nav = super::nav(login, "/dashboard");
    let view = SessionsView {
        tabs,
        rows: records.into_iter().map(row).collect(),
        rows_href: here.replacen("/dashboard?", "/dashboard/rows?", 1),
        export_href: href(&query, tab.slug(), None).replacen("/dashboard?", "/dashboard/sessions.csv?", 1),
        query,
        next_href,
        first_href,
        error,
    };
    render_with(&state, DashboardPage::Sessions { nav, view }, dashboard_shell, StatusCode::OK, request).await
}

/// The table the open list shows, as HTML, for its live updates.
pub async fn rows(
    State(state): State<AppState>,
    Signed(login): Signed,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    match listing(&state, &login, &params).await {
        Ok(listing) => {
            let rows: Vec<SessionRow> = listing.records.into_iter().map(row).collect();
            let html = Owner::new().with(|| view! { <SessionsTable rows/> }.to_html());
            ([(header::CACHE_CONTROL, "no-store"), (header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
                .into_response()
        }
        Err(e) => server_error(e),
    }
}
