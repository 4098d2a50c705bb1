use super::{summary::OrderSummary, ReturnState, ReturnView};
use leptos::prelude::*;

/// Where the customer lands after paying: it shows the stored state, never
/// what the redirect's query string claims.
#[component]
pub fn ReturnPage(view: ReturnView) -> impl IntoView {
    let retry = format!("{}/pay/{}", super::Frame::current().prefix(), view.order.session_id);
    let body = match view.state {
        ReturnState::Pending => view! {
            <section class="card notice" aria-live="polite" data-state="pending">
                <h1>"Confirming your payment…"</h1>
                <p>"Your bank is still processing the payment. This page updates by itself; please keep it open."</p>
            </section>
        }
        .into_any(),
        ReturnState::Paid { continue_url } => view! {
            <section class="card notice success" data-state="paid">
                <h1>"Payment successful"</h1>
                <p>"Thank you. Your payment has been received."</p>
                {continue_url.is_some().then(|| view! { <p class="hint">"Taking you back to the shop…"</p> })}
                {continue_url.map(|url| view! {
                    <a class="button" href=url data-testid="continue">"Return to the shop"</a>
                })}
            </section>
        }
        .into_any(),
        ReturnState::Failed { reason } => view! {
            <section class="card notice failure" data-state="failed">
                <h1>"Your payment did not go through"</h1>
                <p>{reason}</p>
                <a class="button" href=retry>"Try again"</a>
            </section>
        }
        .into_any(),
    };
    view! { <OrderSummary order=view.order/> {body} }
}
