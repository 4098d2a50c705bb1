use super::OrderView;
use crate::i18n::Words;
use leptos::prelude::*;

/// The merchant, the lines of the order and the total.
#[component]
pub fn OrderSummary(order: OrderView) -> impl IntoView {
    let w = Words::current();
    let lines = order
        .lines
        .into_iter()
        .map(|line| {
            view! {
                <li class="line">
                    <span class="line-name">{line.name}</span>
                    {(line.quantity != 1).then(|| view! { <span class="line-qty">"× "{line.quantity}</span> })}
                    <span class="line-total">{line.total}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="summary" aria-label=w.t("order-summary")>
            <p class="merchant">{order.merchant_name}</p>
            <ul class="lines">{lines}</ul>
            <p class="total">
                <span>{w.t("total")}</span>
                <strong data-testid="total">{order.total}</strong>
            </p>
        </section>
    }
}
