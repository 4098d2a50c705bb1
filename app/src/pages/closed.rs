use super::{summary::OrderSummary, ClosedReason, OrderView};
use crate::i18n::Words;
use leptos::prelude::*;

/// A session that takes no more payments, and why.
#[component]
pub fn ClosedPage(order: OrderView, reason: ClosedReason) -> impl IntoView {
    let w = Words::current();
    let (state, title, text, link) = match reason {
        ClosedReason::Paid { continue_url } => {
            ("paid", w.t("closed-paid-heading"), w.t("closed-paid-text"), continue_url)
        }
        ClosedReason::Expired { back_url } => {
            ("expired", w.t("closed-expired-heading"), w.t("closed-expired-text"), back_url)
        }
        ClosedReason::Cancelled { back_url } => {
            ("cancelled", w.t("closed-cancelled-heading"), w.t("closed-cancelled-text"), back_url)
        }
        ClosedReason::Failed { reason, back_url } => ("failed", w.t("closed-failed-heading"), reason, back_url),
    };
    view! {
        <OrderSummary order/>
        <section class="card notice" data-state=state>
            <h1>{title}</h1>
            <p>{text}</p>
            {link.map(|url| view! { <a class="button" href=url>{w.t("return-to-shop")}</a> })}
        </section>
    }
}
