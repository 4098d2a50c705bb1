use super::{
    form::CheckoutForm,
    form_data::{FormData, FormDataScript, FormText},
    summary::OrderSummary,
    PayView,
};
use crate::failure::Failure;
use crate::i18n::Words;
use leptos::{prelude::*, server_fn::ServerFn};

/// The customer gives up: the session is cancelled (the merchant hears it),
/// then the hosted page goes back to the shop and the widget's frame shows
/// the cancelled checkout its host page hears about.
#[server(prefix = "/fn", endpoint = "cancel")]
pub async fn cancel_checkout(#[server(default)] session: String) -> Result<(), Failure> {
    use crate::desk;
    desk::answer(desk::checkout()?.cancel(&desk::request()?, &session).await)
}

#[component]
pub fn PayPage(view: PayView) -> impl IntoView {
    let processor_form = view.processor.clone().map(|processor| {
        let view = view.clone();
        view! { <super::processor::ProcessorForm view processor/> }
    });
    let PayView { order, email, decline, problems, expires_at_ms, now_ms, version, cancel_url, link, processor: _ } =
        view;
    let w = Words::current();
    let text = FormText::new(&w, order.pay_label(&w));
    let (heading, verification) = match order.verification {
        true => (w.t("save-card-heading"), Some(w.t("save-card-hint"))),
        false => (w.t("pay-heading"), None),
    };
    let frame = super::Frame::current();
    // A link's form has no session to post to or watch until it is paid.
    let session_id = if link.is_some() { String::new() } else { order.session_id.clone() };
    let action = format!("{}{}", frame.prefix(), super::form::Pay::PATH);
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
    let cancel_action = format!("{}{}", frame.prefix(), CancelCheckout::PATH);
    let cancelled = session_id.clone();
    let link = link.unwrap_or_default();
    let form = FormData { session_id, link, action, email, problems, text, expires_at_ms, now_ms, version };
    view! {
        <OrderSummary order/>
        <section class="card">
            <h1>{heading}</h1>
            {verification.map(|hint| view! { <p class="hint">{hint}</p> })}
            {decline.map(|reason| view! {
                // Focused on arrival (the page is new after the redirect), so
                // a screen reader reads why before anything else.
                <div class="decline" role="alert" data-testid="decline" tabindex="-1" autofocus=hosted>
                    <strong>{w.t("decline-heading")}</strong>
                    " "{reason}
                </div>
            })}
            {match processor_form {
                Some(form) => form.into_any(),
                None => view! { <FormDataScript data=form/> <CheckoutForm/> }.into_any(),
            }}
            {cancel.map(|label| view! {
                <form class="cancel" method="post" action=cancel_action>
                    <input type="hidden" name="session" value=cancelled/>
                    <button type="submit" class="link">{label}</button>
                </form>
            })}
        </section>
        <p class="secure">{w.t("secure-note")}</p>
    }
}
