use super::{summary::OrderSummary, ChallengeView};
use leptos::prelude::*;

/// The sandbox bank's 3-D Secure step: the customer approves or fails it.
#[component]
pub fn ChallengePage(view: ChallengeView) -> impl IntoView {
    let prefix = super::Frame::current().prefix();
    let action = format!("{prefix}/pay/{}/challenge/{}", view.order.session_id, view.attempt_id);
    let total = view.order.total.clone();
    view! {
        <OrderSummary order=view.order/>
        <section class="card challenge">
            <h1>"Verify your payment"</h1>
            <p>"Your bank asks you to confirm this payment of "<strong>{total}</strong>" with "{view.card}"."</p>
            <p class="hint">"This is the sandbox bank: choose what the bank should answer."</p>
            <form method="post" action=action class="challenge-actions">
                <button type="submit" name="decision" value="approve" class="pay">"Complete authentication"</button>
                <button type="submit" name="decision" value="fail" class="secondary">"Fail authentication"</button>
            </form>
        </section>
    }
}
