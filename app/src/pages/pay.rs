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
    let PayView { order, email, decline, problems, expires_at_ms, now_ms, version, cancel_url, link } = view;
    let w = Words::current();
    let text = FormText::new(&w, &order.total);
    let frame = super::Frame::current();
    // A link's form has no session to post to or watch until it is paid.
    let (session_id, action) = match &link {
        Some(slug) => (String::new(), format!("{}/l/{slug}", frame.prefix())),
        None => (order.session_id.clone(), format!("{}/pay/{}", frame.prefix(), order.session_id)),
    };
    // Browsers refuse autofocus inside another site's frame (and say so).
    let hosted = frame == super::Frame::Hosted;
    // Giving up cancels the session (the merchant hears it); on the hosted
    // page the customer then goes back to the shop, in the widget the
    // merchant's page hears `kassa:cancelled` and decides.
    let cancel = match (hosted, cancel_url, &link) {
        (_, _, Some(_)) => None,
        (true, Some(_), None) => Some(w.t("cancel-link")),
        (true, None, None) => None,
        (false, _, None) => Some(w.t("cancel-button")),
    };
    let cancel_action = format!("{action}/cancel");
    let form = FormData { session_id, action, email, problems, text, expires_at_ms, now_ms, version };
    view! {
        <OrderSummary order/>
        <section class="card">
            <h1>{w.t("pay-heading")}</h1>
            {decline.map(|reason| view! {
                // Focused on arrival (the page is new after the redirect), so
                // a screen reader reads why before anything else.
                <div class="decline" role="alert" data-testid="decline" tabindex="-1" autofocus=hosted>
                    <strong>{w.t("decline-heading")}</strong>
                    " "{reason}
                </div>
            })}
            <FormDataScript data=form/>
            <CheckoutForm/>
            {cancel.map(|label| view! {
                <form class="cancel" method="post" action=cancel_action>
                    <button type="submit" class="link">{label}</button>
                </form>
            })}
        </section>
        <p class="secure">{w.t("secure-note")}</p>
    }
}
