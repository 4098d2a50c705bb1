use super::{
    form::CheckoutForm,
    form_data::{FormData, FormDataScript, FormText},
    summary::OrderSummary,
    PayView,
};
use crate::i18n::Words;
use leptos::prelude::*;

#[component]
pub fn PayPage(view: PayView) -> impl IntoView {
    let PayView { order, email, decline, problems, expires_at_ms, now_ms, version, cancel_url } = view;
    let w = Words::current();
    let session_id = order.session_id.clone();
    let text = FormText::new(&w, &order.total);
    let action = format!("{}/pay/{session_id}", super::Frame::current().prefix());
    let form = FormData { session_id, action, email, problems, text, expires_at_ms, now_ms, version };
    view! {
        <OrderSummary order/>
        <section class="card">
            <h1>{w.t("pay-heading")}</h1>
            {decline.map(|reason| view! {
                <div class="decline" role="alert" data-testid="decline">
                    <strong>{w.t("decline-heading")}</strong>
                    " "{reason}
                </div>
            })}
            <FormDataScript data=form/>
            <CheckoutForm/>
            {cancel_url.map(|url| view! { <p class="cancel"><a href=url>{w.t("cancel-link")}</a></p> })}
        </section>
        <p class="secure">{w.t("secure-note")}</p>
    }
}
