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
            <Merchant brand=order.brand/>
            <ul class="lines">{lines}</ul>
            <p class="total">
                <span>{w.t("total")}</span>
                <strong data-testid="total">{order.total}</strong>
            </p>
        </section>
    }
}

/// The merchant's logo and name at the top of the page. The logo is
/// decoration beside the name, so it carries an empty alt.
#[component]
pub fn Merchant(brand: super::Brand) -> impl IntoView {
    view! {
        <p class="merchant">
            {brand.logo_url.map(|src| view! { <img class="logo" src=src alt="" height="32"/> })}
            <span>{brand.name}</span>
        </p>
    }
}
