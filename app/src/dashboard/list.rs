use super::{LiveRegion, SessionsTable, SessionsView};
use leptos::prelude::*;

/// Tabs with counts, search and filters, and one page of sessions.
#[component]
pub fn Sessions(view: SessionsView) -> impl IntoView {
    let SessionsView { tabs, rows, rows_href, query, next_href, first_href, export_href, error } = view;
    let tabs = tabs
        .into_iter()
        .map(|t| {
            let current = t.current.then_some("page");
            view! {
                <a href=t.href class="tab" aria-current=current>
                    {format!("{} ", t.label)}<span class="count">{t.count}</span>
                </a>
            }
        })
        .collect_view();
    let sources = ["", "api", "hosted", "payment_link", "woocommerce"].map(|s| {
        let selected = query.source == s;
        let label = if s.is_empty() { "Any source" } else { s };
        view! { <option value=s selected=selected>{label}</option> }
    });
    view! {
        <h1>"Checkout sessions"</h1>
        <nav class="tabs" aria-label="Session states">{tabs}</nav>
        <form method="get" action="/dashboard" class="filters" role="search">
            <input type="hidden" name="tab" value=query.tab.clone()/>
            <label>"Search"<input type="search" name="q" value=query.q placeholder="Session id, email or order id"/></label>
            <label>"Source"<select name="source">{sources}</select></label>
            <label>"From"<input type="date" name="from" value=query.from/></label>
            <label>"To"<input type="date" name="to" value=query.to/></label>
            <button type="submit">"Search"</button>
            <a href=export_href class="export" download>"Download CSV"</a>
        </form>
        {error.map(|e| view! { <div class="decline" role="alert">{e}</div> })}
        <LiveRegion poll=rows_href><SessionsTable rows/></LiveRegion>
        <nav class="pager" aria-label="Pages">
            {first_href.map(|h| view! { <a href=h>"← First page"</a> })}
            {next_href.map(|h| view! { <a href=h rel="next">"Next page →"</a> })}
        </nav>
    }
}
