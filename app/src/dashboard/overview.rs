use leptos::prelude::*;

/// One day's bar: sessions by how they ended, and the money taken.
#[derive(Clone, Debug, PartialEq)]
pub struct DayBar {
    pub label: String,
    pub succeeded: i64,
    pub failed: i64,
    pub open: i64,
    pub closed: i64,
    pub revenue: i64,
    pub revenue_label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OverviewView {
    pub days: Vec<DayBar>,
    pub sessions: i64,
    pub succeeded: i64,
    pub conversion: String,
    /// Paid money per currency over the period, e.g. `€1,250.00`.
    pub revenue: Vec<String>,
    /// The currency the revenue chart is drawn in (the one with the most money).
    pub chart_currency: String,
}

const W: f64 = 720.0;
const H: f64 = 200.0;

fn bar_width(n: usize) -> f64 {
    W / n.max(1) as f64
}

/// Stacked bars of sessions per day, drawn on the server: no chart library
/// reaches the browser.
fn sessions_chart(days: &[DayBar]) -> impl IntoView {
    let max = days.iter().map(|d| d.succeeded + d.failed + d.open + d.closed).max().unwrap_or(0).max(1) as f64;
    let w = bar_width(days.len());
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = i as f64 * w + 1.0;
            let mut y = H;
            let parts = [("succeeded", d.succeeded), ("failed", d.failed), ("open", d.open), ("closed", d.closed)]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(class, n)| {
                    let h = n as f64 / max * (H - 10.0);
                    y -= h;
                    view! { <rect class=format!("bar-{class}") x=x y=y width=w - 2.0 height=h/> }
                })
                .collect_view();
            let title = format!(
                "{}: {} succeeded, {} failed, {} open, {} expired or cancelled",
                d.label, d.succeeded, d.failed, d.open, d.closed
            );
            view! { <g><title>{title}</title>{parts}</g> }
        })
        .collect_view();
    view! {
        <svg viewBox=format!("0 0 {W} {H}") class="chart" role="img" aria-label="Sessions per day by outcome, last 30 days">
            {bars}
        </svg>
    }
}

fn revenue_chart(days: &[DayBar], currency: &str) -> impl IntoView {
    let max = days.iter().map(|d| d.revenue).max().unwrap_or(0).max(1) as f64;
    let w = bar_width(days.len());
    let bars = days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.revenue > 0)
        .map(|(i, d)| {
            let h = d.revenue as f64 / max * (H - 10.0);
            view! {
                <rect class="bar-revenue" x=i as f64 * w + 1.0 y=H - h width=w - 2.0 height=h>
                    <title>{format!("{}: {}", d.label, d.revenue_label)}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg viewBox=format!("0 0 {W} {H}") class="chart" role="img" aria-label=format!("Paid revenue per day in {currency}, last 30 days")>
            {bars}
        </svg>
    }
}

#[component]
pub fn Overview(view: OverviewView) -> impl IntoView {
    let OverviewView { days, sessions, succeeded, conversion, revenue, chart_currency } = view;
    let first = days.first().map(|d| d.label.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.label.clone()).unwrap_or_default();
    let revenue_text = if revenue.is_empty() { "—".to_string() } else { revenue.join(" · ") };
    view! {
        <h1>"Overview: last 30 days"</h1>
        <div class="tiles">
            <div class="panel tile"><span>"Sessions"</span><strong data-testid="sessions">{sessions}</strong></div>
            <div class="panel tile"><span>"Succeeded"</span><strong data-testid="succeeded">{succeeded}</strong></div>
            <div class="panel tile"><span>"Conversion rate"</span><strong data-testid="conversion">{conversion}</strong></div>
            <div class="panel tile"><span>"Paid revenue"</span><strong data-testid="revenue">{revenue_text}</strong></div>
        </div>
        <section class="panel" aria-label="Sessions per day">
            <h2>"Sessions per day"</h2>
            {sessions_chart(&days)}
            <p class="legend">
                <span class="key bar-succeeded"></span>"Succeeded "
                <span class="key bar-failed"></span>"Failed "
                <span class="key bar-open"></span>"Open "
                <span class="key bar-closed"></span>"Expired or cancelled"
            </p>
            <p class="axis">{first}" – "{last}</p>
        </section>
        <section class="panel" aria-label="Paid revenue per day">
            <h2>"Paid revenue per day ("{chart_currency.clone()}")"</h2>
            {revenue_chart(&days, &chart_currency)}
        </section>
    }
}
