use super::{summary::OrderSummary, ChallengeView};
use crate::failure::Failure;
use crate::i18n::Words;
use leptos::{prelude::*, server_fn::ServerFn};

/// The customer's answer to the bank's challenge: approve or fail it.
#[server(prefix = "/fn", endpoint = "answer")]
pub async fn answer_challenge(
    #[server(default)] session: String,
    #[server(default)] attempt: String,
    #[server(default)] decision: String,
) -> Result<(), Failure> {
    use crate::desk;
    let approved = decision == "approve";
    desk::answer(desk::checkout()?.answer_challenge(&desk::request()?, &session, &attempt, approved).await)
}

/// The sandbox bank's 3-D Secure step: the customer approves or fails it.
#[component]
pub fn ChallengePage(view: ChallengeView) -> impl IntoView {
    if let Some((processor, secret)) = view.processor.clone() {
        return view! { <super::processor::ProcessorChallenge view processor secret/> }.into_any();
    }
    let w = Words::current();
    let prefix = super::Frame::current().prefix();
    let action = format!("{prefix}{}", AnswerChallenge::PATH);
    let (session, attempt) = (view.order.session_id.clone(), view.attempt_id.clone());
    let total = view.order.total.clone();
    view! {
        <OrderSummary order=view.order/>
        <section class="card challenge">
            <h1>{w.t("challenge-heading")}</h1>
            <p>{w.t_with("challenge-text", &[("total", total.into()), ("card", view.card.into())])}</p>
            <p class="hint">{w.t("challenge-hint")}</p>
            <form method="post" action=action class="challenge-actions">
                <input type="hidden" name="session" value=session/>
                <input type="hidden" name="attempt" value=attempt/>
                <button type="submit" name="decision" value="approve" class="pay">{w.t("challenge-approve")}</button>
                <button type="submit" name="decision" value="fail" class="secondary">{w.t("challenge-fail")}</button>
            </form>
        </section>
    }
    .into_any()
}
