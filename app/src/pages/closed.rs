use super::{summary::OrderSummary, ClosedReason, OrderView};
use leptos::prelude::*;

/// A session that takes no more payments, and why.
#[component]
pub fn ClosedPage(order: OrderView, reason: ClosedReason) -> impl IntoView {
    let (state, title, text, link, link_text) = match reason {
        ClosedReason::Paid { continue_url } => (
            "paid",
            "This order is already paid",
            "Nothing more to do: the payment for this checkout has been received.".to_string(),
            continue_url,
            "Return to the shop",
        ),
        ClosedReason::Expired { back_url } => (
            "expired",
            "This checkout has expired",
            "The time to pay has run out and no payment was taken. Return to the shop to start again.".to_string(),
            back_url,
            "Return to the shop",
        ),
        ClosedReason::Cancelled { back_url } => (
            "cancelled",
            "This checkout was cancelled",
            "No payment was taken. Return to the shop if you still want to order.".to_string(),
            back_url,
            "Return to the shop",
        ),
        ClosedReason::Failed { reason, back_url } => {
            ("failed", "The payment failed", reason, back_url, "Return to the shop")
        }
    };
    view! {
        <OrderSummary order/>
        <section class="card notice" data-state=state>
            <h1>{title}</h1>
            <p>{text}</p>
            {link.map(|url| view! { <a class="button" href=url>{link_text}</a> })}
        </section>
    }
}
