//! The card form and the 3-D Secure step of a live session routed to a
//! processor that collects the card itself (Stripe). Server-rendered forms
//! posting to server functions like the sandbox's; `/stripe-pay.js` mounts
//! Stripe's card element, has Stripe.js make a token of the card (the card
//! goes from the browser to Stripe, never to Kassa) and sends the form.

use super::{summary::OrderSummary, ChallengeView, Frame, PayView, ProcessorView};
use crate::failure::Failure;
use crate::i18n::Words;
use leptos::{prelude::*, server_fn::ServerFn};

/// The processor's card form's post: pays the session with the token the
/// processor's element made of the card.
#[server(prefix = "/fn", endpoint = "pay_token")]
pub async fn pay_token(
    #[server(default)] session: String,
    #[server(default)] email: String,
    #[server(default)] token: String,
) -> Result<(), Failure> {
    use crate::desk;
    desk::answer(desk::checkout()?.pay_token(&desk::request()?, &session, email, token).await)
}

/// Where the scripts of the processor's page come from: Stripe.js, then
/// Kassa's own glue (in this order: both deferred).
#[component]
pub fn ProcessorScripts(processor: ProcessorView) -> impl IntoView {
    view! {
        <script src=processor.js_url defer></script>
        <script src="/stripe-pay.js" defer></script>
    }
}

/// Stripe's card element in place of Kassa's card inputs.
#[component]
pub fn ProcessorForm(view: PayView, processor: ProcessorView) -> impl IntoView {
    let w = Words::current();
    let action = format!("{}{}", Frame::current().prefix(), PayToken::PATH);
    let pay = view.order.pay_label(&w);
    let back = view.cancel_url.clone();
    view! {
        <form method="post" action=action class="pay-form processor-form" data-stripe-key=processor.publishable_key
            data-processing=w.t("processing") data-unavailable=w.t("card-form-unavailable") hidden>
            <input type="hidden" name="session" value=view.order.session_id.clone()/>
            <input type="hidden" name="token" value=""/>
            <div class="field">
                <label for="email">{w.t("field-email")}</label>
                <input id="email" name="email" type="email" autocomplete="email" required value=view.email.clone()/>
            </div>
            <div class="field">
                <label for="card-element">{w.t("field-card")}</label>
                <div id="card-element" class="card-element" data-testid="card-element"></div>
                <p class="field-error" id="card-errors" role="alert"></p>
            </div>
            <button type="submit" class="pay">{pay}</button>
        </form>
        <noscript>
            <p class="needs-js" data-testid="needs-js">{w.t("card-needs-js")}</p>
            {back.map(|url| view! { <p><a href=url>{w.t("return-to-shop")}</a></p> })}
        </noscript>
    }
}

/// The bank's check of a processor's payment: Stripe.js opens it on the
/// intent's client secret; then the form tells Kassa, which reads the
/// outcome from the processor (never from the browser).
#[component]
pub fn ProcessorChallenge(view: ChallengeView, processor: ProcessorView, secret: String) -> impl IntoView {
    let w = Words::current();
    let action = format!("{}{}", Frame::current().prefix(), super::AnswerChallenge::PATH);
    let (session, attempt) = (view.order.session_id.clone(), view.attempt_id.clone());
    let total = view.order.total.clone();
    view! {
        <OrderSummary order=view.order/>
        <section class="card challenge">
            <h1>{w.t("challenge-heading")}</h1>
            <p>{w.t_with("challenge-text", &[("total", total.into()), ("card", view.card.into())])}</p>
            <p class="hint">{w.t("processor-challenge-hint")}</p>
            <form method="post" action=action class="challenge-actions processor-challenge"
                data-stripe-key=processor.publishable_key data-client-secret=secret>
                <input type="hidden" name="session" value=session/>
                <input type="hidden" name="attempt" value=attempt/>
                <input type="hidden" name="decision" value="done"/>
                <button type="submit" class="pay">{w.t("processor-challenge-start")}</button>
            </form>
            <noscript><p class="needs-js">{w.t("card-needs-js")}</p></noscript>
        </section>
    }
}
