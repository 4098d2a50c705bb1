use super::{
    challenge::ChallengePage, closed::ClosedPage, pay::PayPage, receipt::ReceiptPage, return_page::ReturnPage,
};
use super::{Page, ReturnState};
use leptos::prelude::*;

/// The whole document. Only the payment form is interactive, so only pages
/// that show it load the WebAssembly; every other page is plain HTML.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let page = use_context::<Page>().unwrap_or(Page::NotFound);
    let interactive = matches!(page, Page::Pay(_));
    // The return page looks again while the provider has not answered, and
    // once the payment is confirmed sends the customer on to the merchant. A
    // meta refresh works with JavaScript off and costs no bytes of WASM.
    let refresh = match &page {
        Page::Return(r) => match &r.state {
            ReturnState::Pending => Some("2".to_string()),
            ReturnState::Paid { continue_url: Some(url) } => Some(format!("5;url={url}")),
            _ => None,
        },
        _ => None,
    };
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="robots" content="noindex"/>
                <title>{page.title()}</title>
                {refresh.map(|content| view! { <meta http-equiv="refresh" content=content/> })}
                <link rel="stylesheet" href="/pkg/kassa.css"/>
                {interactive.then(|| view! { <HydrationScripts options=options.clone() islands=true/> })}
            </head>
            <body>
                <main class="checkout">{body(page)}</main>
            </body>
        </html>
    }
}

fn body(page: Page) -> AnyView {
    match page {
        Page::Pay(view) => view! { <PayPage view/> }.into_any(),
        Page::Challenge(view) => view! { <ChallengePage view/> }.into_any(),
        Page::Receipt(view) => view! { <ReceiptPage view/> }.into_any(),
        Page::Return(view) => view! { <ReturnPage view/> }.into_any(),
        Page::Closed { order, reason } => view! { <ClosedPage order reason/> }.into_any(),
        Page::NotFound => view! {
            <section class="card notice">
                <h1>"Checkout not found"</h1>
                <p>"This payment link is not valid. Check the link you were given, or ask the shop for a new one."</p>
            </section>
        }
        .into_any(),
    }
}
