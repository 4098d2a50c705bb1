use super::{summary::OrderSummary, ReceiptView};
use leptos::prelude::*;

#[component]
pub fn ReceiptPage(view: ReceiptView) -> impl IntoView {
    let ReceiptView { order, state, paid_with, paid_at, refunds } = view;
    let reference = order.session_id.clone();
    let refunds =
        refunds.into_iter().map(|(when, amount)| view! { <li>"Refunded "{amount}" on "{when}</li> }).collect_view();
    view! {
        <OrderSummary order/>
        <section class="card notice">
            <h1>"Receipt"</h1>
            <p>"Status: "<strong data-testid="receipt-state">{state}</strong></p>
            {paid_with.map(|card| view! { <p>"Paid with "{card}{paid_at.map(|t| format!(" on {t}"))}"."</p> })}
            <ul class="refunds">{refunds}</ul>
            <p class="hint">"Reference: "{reference}</p>
        </section>
    }
}
