use super::{form::CheckoutForm, summary::OrderSummary, PayView};
use leptos::prelude::*;

#[component]
pub fn PayPage(view: PayView) -> impl IntoView {
    let PayView { order, email, decline, problems, expires_at_ms, now_ms, version, cancel_url } = view;
    let session_id = order.session_id.clone();
    let pay_label = format!("Pay {}", order.total);
    let action = format!("{}/pay/{session_id}", super::Frame::current().prefix());
    view! {
        <OrderSummary order/>
        <section class="card">
            <h1>"Pay with card"</h1>
            {decline.map(|reason| view! {
                <div class="decline" role="alert" data-testid="decline">
                    <strong>"Your payment did not go through."</strong>
                    " "{reason}
                </div>
            })}
            <CheckoutForm session_id action email problems pay_label expires_at_ms now_ms version/>
            {cancel_url.map(|url| view! { <p class="cancel"><a href=url>"Cancel and return to the shop"</a></p> })}
        </section>
        <p class="secure">"Payments are processed securely. Kassa never stores your card number or security code."</p>
    }
}
