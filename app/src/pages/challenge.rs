use super::{summary::OrderSummary, ChallengeView};
use crate::i18n::Words;
use leptos::prelude::*;

/// The sandbox bank's 3-D Secure step: the customer approves or fails it.
#[component]
pub fn ChallengePage(view: ChallengeView) -> impl IntoView {
    let w = Words::current();
    let prefix = super::Frame::current().prefix();
    let action = format!("{prefix}/pay/{}/challenge/{}", view.order.session_id, view.attempt_id);
    let total = view.order.total.clone();
    view! {
        <OrderSummary order=view.order/>
        <section class="card challenge">
            <h1>{w.t("challenge-heading")}</h1>
            <p>{w.t_with("challenge-text", &[("total", total.into()), ("card", view.card.into())])}</p>
            <p class="hint">{w.t("challenge-hint")}</p>
            <form method="post" action=action class="challenge-actions">
                <button type="submit" name="decision" value="approve" class="pay">{w.t("challenge-approve")}</button>
                <button type="submit" name="decision" value="fail" class="secondary">{w.t("challenge-fail")}</button>
            </form>
        </section>
    }
}
