use super::{summary::OrderSummary, ReceiptView, SavedCardView};
use crate::failure::Failure;
use crate::i18n::{Arg, Words};
use leptos::{prelude::*, server_fn::ServerFn};

/// The customer removes the card this session saved: it is charged no more.
#[server(prefix = "/fn", endpoint = "forget_card")]
pub async fn forget_card(#[server(default)] receipt: String, #[server(default)] method: String) -> Result<(), Failure> {
    use crate::desk;
    desk::answer(desk::checkout()?.forget_card(&desk::request()?, &receipt, &method).await)
}

#[component]
pub fn ReceiptPage(view: ReceiptView) -> impl IntoView {
    let ReceiptView { order, state, paid_with, paid_at, refunds, saved_card, token } = view;
    let w = Words::current();
    let reference = order.session_id.clone();
    let refunds = refunds
        .into_iter()
        .map(|(date, amount)| {
            view! { <li>{w.t_with("receipt-refunded", &[("amount", amount.into()), ("date", date.into())])}</li> }
        })
        .collect_view();
    let paid = paid_with.map(|card| {
        let date = Arg::Text(paid_at.unwrap_or_default());
        view! { <p>{w.t_with("receipt-paid-with", &[("card", card.into()), ("date", date)])}</p> }
    });
    view! {
        <OrderSummary order/>
        <section class="card notice">
            <h1>{w.t("receipt-heading")}</h1>
            <p>{w.t("receipt-status")}" "<strong data-testid="receipt-state">{state}</strong></p>
            {paid}
            <ul class="refunds">{refunds}</ul>
            {saved_card.map(|saved| view! { <SavedCard saved token/> })}
            <p class="hint">{w.t_with("receipt-reference", &[("reference", reference.into())])}</p>
        </section>
    }
}

/// The card kept for later payments, and the way to remove it.
#[component]
fn SavedCard(saved: SavedCardView, token: String) -> impl IntoView {
    let w = Words::current();
    let card = Arg::Text(saved.card);
    match saved.removed_on {
        Some(date) => view! {
            <p data-testid="saved-card">{w.t_with("receipt-card-removed", &[("card", card), ("date", date.into())])}</p>
        }
        .into_any(),
        None => view! {
            <form method="post" action=ForgetCard::PATH class="saved-card">
                <p data-testid="saved-card">{w.t_with("receipt-card-saved", &[("card", card)])}</p>
                <input type="hidden" name="receipt" value=token/>
                <input type="hidden" name="method" value=saved.method/>
                <button type="submit" class="secondary">{w.t("receipt-remove-card")}</button>
            </form>
        }
        .into_any(),
    }
}
