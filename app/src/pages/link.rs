use super::{LinkField, LinkView};
use crate::failure::Failure;
use crate::i18n::Words;
use leptos::{prelude::*, server_fn::ServerFn};

/// A payment link's amount or quantity: makes the link's session and sends
/// the customer on to pay it.
#[server(prefix = "/fn", endpoint = "choose")]
pub async fn choose_on_link(
    #[server(default)] link: String,
    #[server(default)] amount: String,
    #[server(default)] quantity: String,
) -> Result<(), Failure> {
    use crate::desk::{self, LinkChoice};
    desk::answer(desk::checkout()?.choose(&desk::request()?, &link, LinkChoice { amount, quantity }).await)
}

/// The amount (or quantity) a payment link asks for before its checkout.
#[component]
pub fn LinkPage(view: LinkView) -> impl IntoView {
    let LinkView { slug, title, brand, price, range, currency, max_quantity, amount, error } = view;
    let w = Words::current();
    // The input the error is about says so, names the message and takes the
    // focus (not in the widget's frame, where browsers refuse autofocus).
    let hosted = super::Frame::current() == super::Frame::Hosted;
    let wrong = |field| error.as_ref().is_some_and(|e| e.field == Some(field));
    let (amount_wrong, quantity_wrong) = (wrong(LinkField::Amount), wrong(LinkField::Quantity));
    let described = |hint: Option<&str>, wrong: bool| {
        let ids: Vec<&str> = hint.into_iter().chain(wrong.then_some("link-error")).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let amount_described = described(Some("amount-hint"), amount_wrong);
    let quantity_described = described(None, quantity_wrong);
    view! {
        <section class="summary" aria-label=w.t("order-summary")>
            <super::summary::Merchant brand/>
            <h1>{title}</h1>
            {price.map(|p| view! { <p class="total"><span>{w.t("link-price")}</span><strong>{p}</strong></p> })}
        </section>
        <section class="card">
            {error.map(|e| view! {
                <div class="decline" role="alert" id="link-error" data-testid="link-error">{e.message}</div>
            })}
            <form method="post" action=format!("{}{}", super::Frame::current().prefix(), ChooseOnLink::PATH)>
                <input type="hidden" name="link" value=slug/>
                {range.map(|r| view! {
                    <div class="field">
                        <label for="amount">{w.t_with("link-amount", &[("currency", currency.into())])}</label>
                        <input
                            id="amount"
                            name="amount"
                            inputmode="decimal"
                            required
                            value=amount
                            aria-invalid=amount_wrong.to_string()
                            aria-describedby=amount_described
                            autofocus=amount_wrong && hosted
                        />
                        <p class="hint" id="amount-hint">{r}</p>
                    </div>
                })}
                {max_quantity.map(|max| view! {
                    <div class="field">
                        <label for="quantity">{w.t("link-quantity")}</label>
                        <input
                            id="quantity"
                            name="quantity"
                            type="number"
                            min="1"
                            max=max
                            value="1"
                            required
                            aria-invalid=quantity_wrong.to_string()
                            aria-describedby=quantity_described
                            autofocus=quantity_wrong && hosted
                        />
                    </div>
                })}
                <button type="submit" class="pay">{w.t("link-continue")}</button>
            </form>
        </section>
    }
}
