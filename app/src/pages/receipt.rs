use super::{summary::OrderSummary, ReceiptView};
use crate::i18n::{Arg, Words};
use leptos::prelude::*;

#[component]
pub fn ReceiptPage(view: ReceiptView) -> impl IntoView {
    let ReceiptView { order, state, paid_with, paid_at, refunds } = view;
    let w = Words::current();
    let reference = order.session_id.clone();
    let refunds = refunds
        .into_iter()
        .map(|(date, amount)| {
            view! { <li>{w.t_with("receipt-refunded", &[("amount", amount.into()), ("date", date.into())])}</li> }
        })
        .collect_view();
    let paid = paid_with.map(|card| {
        let date = Arg::Text(paid_at.unwrap_or_default());
        view! { <p>{w.t_with("receipt-paid-with", &[("card", card.into()), ("date", date)])}</p> }
    });
    view! {
        <OrderSummary order/>
        <section class="card notice">
            <h1>{w.t("receipt-heading")}</h1>
            <p>{w.t("receipt-status")}" "<strong data-testid="receipt-state">{state}</strong></p>
            {paid}
            <ul class="refunds">{refunds}</ul>
            <p class="hint">{w.t_with("receipt-reference", &[("reference", reference.into())])}</p>
        </section>
    }
}
