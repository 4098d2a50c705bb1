use super::LinkView;
use crate::i18n::Words;
use leptos::prelude::*;

/// The amount (or quantity) a payment link asks for before its checkout.
#[component]
pub fn LinkPage(view: LinkView) -> impl IntoView {
    let LinkView { slug, title, brand, price, range, currency, max_quantity, amount, error } = view;
    let w = Words::current();
    view! {
        <section class="summary" aria-label=w.t("order-summary")>
            <super::summary::Merchant brand/>
            <h1>{title}</h1>
            {price.map(|p| view! { <p class="total"><span>{w.t("link-price")}</span><strong>{p}</strong></p> })}
        </section>
        <section class="card">
            {error.map(|e| view! { <div class="decline" role="alert" data-testid="link-error">{e}</div> })}
            <form method="post" action=format!("{}/l/{slug}", super::Frame::current().prefix())>
                {range.map(|r| view! {
                    <div class="field">
                        <label for="amount">{w.t_with("link-amount", &[("currency", currency.into())])}</label>
                        <input id="amount" name="amount" inputmode="decimal" required value=amount aria-describedby="amount-hint"/>
                        <p class="hint" id="amount-hint">{r}</p>
                    </div>
                })}
                {max_quantity.map(|max| view! {
                    <div class="field">
                        <label for="quantity">{w.t("link-quantity")}</label>
                        <input id="quantity" name="quantity" type="number" min="1" max=max value="1" required/>
                    </div>
                })}
                <button type="submit" class="pay">{w.t("link-continue")}</button>
            </form>
        </section>
    }
}
