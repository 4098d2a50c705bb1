//! The filtered list as CSV, streamed page by page on the same keyset the
//! list uses, so a hundred thousand rows never sit in memory at once.

use super::{auth::Signed, list::ListParams};
use crate::{store::SessionRecord, time::rfc3339, AppState};
use axum::{
    body::Body,
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use futures::stream;

const CHUNK: i64 = 1000;
const HEADER: [&str; 16] = [
    "id",
    "created_at",
    "status",
    "outcome",
    "state",
    "amount",
    "currency",
    "amount_refunded",
    "customer_email",
    "payer_email",
    "order_id",
    "source",
    "payment_id",
    "failure_code",
    "customer_country",
    "customer_city",
];

/// Spreadsheets run cells that start like a formula; a leading quote keeps them text.
fn cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

fn write_rows(rows: &[SessionRecord], with_header: bool) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    if with_header {
        let _ = out.write_record(HEADER);
    }
    for s in rows {
        let snapshot = s.snapshot();
        let _ = out.write_record([
            s.id.clone(),
            rfc3339(s.created_at),
            s.status.to_string(),
            s.outcome.to_string(),
            app::views::dashboard_state(&snapshot).label().to_string(),
            s.amount.to_string(),
            s.currency.clone(),
            s.amount_refunded.unwrap_or(0).to_string(),
            cell(s.customer_email.as_deref().unwrap_or("")),
            cell(s.payer_email.as_deref().unwrap_or("")),
            cell(s.order_id.as_deref().unwrap_or("")),
            s.source.to_string(),
            s.payment_id.clone().unwrap_or_default(),
            s.failure_code.clone().unwrap_or_default(),
            s.customer_country.clone().unwrap_or_default(),
            cell(s.customer_city.as_deref().unwrap_or("")),
        ]);
    }
    out.into_inner().unwrap_or_default()
}

pub async fn export(
    State(state): State<AppState>,
    Signed(login): Signed,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let (tab, filter, _) = params.filter(login.live());
    // The file says which data it holds: the two modes never share one.
    let disposition = if login.live() {
        "attachment; filename=\"checkout-sessions.csv\""
    } else {
        "attachment; filename=\"checkout-sessions-test.csv\""
    };
    let merchant = login.merchant_id;
    // (cursor, first chunk, finished)
    let pages = stream::unfold((None::<(i64, String)>, true, false), move |(after, first, done)| {
        let (state, merchant, filter) = (state.clone(), merchant.clone(), filter.clone());
        async move {
            if done {
                return None;
            }
            match state.store.dashboard_page(&merchant, tab, &filter, after, CHUNK).await {
                Ok(rows) => {
                    let last = rows.last().map(|r| (r.created_at, r.id.clone()));
                    let finished = (rows.len() as i64) < CHUNK;
                    Some((Ok::<_, std::io::Error>(write_rows(&rows, first)), (last, false, finished)))
                }
                Err(e) => {
                    tracing::error!(error = ?e, "CSV export stopped");
                    Some((Err(std::io::Error::other("export failed")), (None, false, true)))
                }
            }
        }
    });
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, disposition)],
        Body::from_stream(pages),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_like_cells_stay_text() {
        assert_eq!(super::cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::cell("ada@example.com"), "ada@example.com");
    }
}
