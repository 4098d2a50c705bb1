use super::{auth::Signed, server_error};
use crate::{
    new_session::currency_exponent,
    pages::render_with,
    store::{DayFigures, DAY_MS},
    time::{now_ms, rfc3339},
    AppState,
};
use app::dashboard::{dashboard_shell, DashboardPage, DayBar, OverviewView};
use app::money::format_amount;
use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};

const DAYS: i64 = 30;

fn money(minor: i64, currency: &str) -> String {
    format_amount(minor, currency, currency_exponent(currency).unwrap_or(2))
}

/// Per-day figures in one currency's terms, with the period's totals.
pub fn overview_view(figures: &[DayFigures]) -> OverviewView {
    let mut totals: Vec<(String, i64)> = Vec::new();
    for (currency, sum) in figures.iter().flat_map(|f| f.paid.iter()) {
        match totals.iter_mut().find(|(c, _)| c == currency) {
            Some((_, total)) => *total += sum,
            None => totals.push((currency.clone(), *sum)),
        }
    }
    totals.sort_by_key(|(_, sum)| std::cmp::Reverse(*sum));
    let chart_currency = totals.first().map(|(c, _)| c.clone()).unwrap_or_else(|| "EUR".into());
    let sessions: i64 = figures.iter().map(DayFigures::total).sum();
    let succeeded: i64 = figures.iter().map(|f| f.succeeded).sum();
    let conversion = match sessions {
        0 => "—".to_string(),
        n => format!("{:.1}%", succeeded as f64 * 100.0 / n as f64),
    };
    let days = figures
        .iter()
        .map(|f| {
            let revenue = f.paid.iter().find(|(c, _)| *c == chart_currency).map_or(0, |(_, s)| *s);
            DayBar {
                label: rfc3339(f.day * DAY_MS)[..10].to_string(),
                succeeded: f.succeeded,
                failed: f.failed,
                open: f.open,
                closed: f.closed,
                revenue,
                revenue_label: money(revenue, &chart_currency),
            }
        })
        .collect();
    let revenue = totals.iter().map(|(c, sum)| money(*sum, c)).collect();
    OverviewView { days, sessions, succeeded, conversion, revenue, chart_currency }
}

pub async fn overview(State(state): State<AppState>, Signed(login): Signed, request: Request) -> Response {
    let figures = match state.store.overview(&login.merchant_id, login.live(), now_ms() / DAY_MS, DAYS).await {
        Ok(figures) => figures,
        Err(e) => return server_error(e),
    };
    let nav = super::nav(login, "/dashboard/overview");
    let page = DashboardPage::Overview { nav, view: overview_view(&figures) };
    render_with(&state, page, dashboard_shell, StatusCode::OK, request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_and_revenue_per_currency() {
        let day = |day, succeeded, failed, paid: Vec<(&str, i64)>| DayFigures {
            day,
            succeeded,
            failed,
            open: 0,
            closed: 0,
            paid: paid.into_iter().map(|(c, s)| (c.to_string(), s)).collect(),
        };
        let view = overview_view(&[
            day(20_000, 1, 1, vec![("EUR", 2500)]),
            day(20_001, 2, 0, vec![("USD", 100), ("EUR", 500)]),
        ]);
        assert_eq!((view.sessions, view.succeeded, view.conversion.as_str()), (4, 3, "75.0%"));
        assert_eq!(view.chart_currency, "EUR");
        assert_eq!(view.revenue, vec!["€30.00".to_string(), "$1.00".to_string()]);
        assert_eq!(view.days[1].revenue, 500);
        assert_eq!(view.days[0].label, "2024-10-04");
        assert_eq!(overview_view(&[]).conversion, "—");
    }
}
