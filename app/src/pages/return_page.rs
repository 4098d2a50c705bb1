use super::{summary::OrderSummary, ReturnState, ReturnView};
use crate::failure::Failure;
use crate::i18n::Words;
use leptos::{prelude::*, server_fn::codec::GetUrl};

/// Where the session stands, as stored: what the return page's wait and the
/// open checkout's watch look at (they reload when its version moves). Read
/// by the browser's own `fetch`, so the card form's WebAssembly carries no
/// server-function client.
#[server(prefix = "/fn", endpoint = "state", input = GetUrl)]
pub async fn session_now(session: String) -> Result<super::StoredSession, Failure> {
    crate::desk::checkout()?.session_now(&session).await
}

/// Where the customer lands after paying: it shows the stored state, never
/// what the redirect's query string claims.
#[component]
pub fn ReturnPage(view: ReturnView) -> impl IntoView {
    let w = Words::current();
    let retry = format!("{}/pay/{}", super::Frame::current().prefix(), view.order.session_id);
    // A card only verified (amount 0) was saved, not paid with.
    let (paid_heading, paid_text) = match view.order.verification {
        true => ("return-saved-heading", "return-saved-text"),
        false => ("return-paid-heading", "return-paid-text"),
    };
    let body = match view.state {
        ReturnState::Pending => view! {
            <section class="card notice" aria-live="polite" data-state="pending">
                <h1>{w.t("return-pending-heading")}</h1>
                <p>{w.t("return-pending-text")}</p>
            </section>
        }
        .into_any(),
        ReturnState::Paid { continue_url } => view! {
            <section class="card notice success" data-state="paid">
                <h1>{w.t(paid_heading)}</h1>
                <p>{w.t(paid_text)}</p>
                {continue_url.is_some().then(|| view! { <p class="hint">{w.t("return-taking-back")}</p> })}
                {continue_url.map(|url| view! {
                    <a class="button" href=url data-testid="continue">{w.t("return-to-shop")}</a>
                })}
            </section>
        }
        .into_any(),
        ReturnState::Failed { reason } => view! {
            <section class="card notice failure" data-state="failed">
                <h1>{w.t("return-failed-heading")}</h1>
                <p>{reason}</p>
                <a class="button" href=retry>{w.t("try-again")}</a>
            </section>
        }
        .into_any(),
    };
    view! { <OrderSummary order=view.order/> {body} }
}
