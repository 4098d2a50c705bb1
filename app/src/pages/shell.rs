use super::{
    challenge::ChallengePage, closed::ClosedPage, home::HomePage, link::LinkPage, pay::PayPage, receipt::ReceiptPage,
    return_page::ReturnPage,
};
use super::{Frame, Page, ReturnState};
use crate::i18n::Words;
use leptos::prelude::*;

/// The whole document. Only the payment form is interactive, so only pages
/// that show it load the WebAssembly; every other page is plain HTML.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let page = use_context::<Page>().unwrap_or(Page::NotFound);
    // A processor's card form (Stripe) runs Stripe.js, not the island.
    let interactive = matches!(&page, Page::Pay(view) if view.processor.is_none());
    let processor =
        page.processor().cloned().map(|processor| view! { <super::processor::ProcessorScripts processor/> });
    // The return page looks again while the provider has not answered, and
    // once the payment is confirmed sends the customer on to the merchant:
    // `/return.js` does it with JavaScript on (no WASM), a meta refresh in
    // <noscript> without.
    let refresh = match &page {
        Page::Return(r) => match &r.state {
            ReturnState::Pending => Some((2, None, &r.order)),
            ReturnState::Paid { continue_url: Some(url) } => Some((5, Some(url.clone()), &r.order)),
            _ => None,
        },
        _ => None,
    };
    let w = Words::current();
    let title = page.title(&w);
    let accent = page.brand().and_then(|b| b.accent.clone()).map(|a| {
        // Checked to be #rrggbb on the way in; the policy lets this one
        // style element in by its nonce.
        let css = format!(":root{{--brand:{};--on-brand:{}}}", a.fill, a.text);
        view! { <style nonce=leptos::nonce::use_nonce()>{css}</style> }
    });
    let refresh = refresh.map(|(seconds, next, order)| {
        let content = match &next {
            Some(url) => format!("{seconds};url={url}"),
            None => seconds.to_string(),
        };
        let watch = next.is_none().then(|| super::watch_url(&order.session_id));
        let version = order.version.to_string();
        view! {
            <noscript><meta http-equiv="refresh" content=content/></noscript>
            <script
                nonce=leptos::nonce::use_nonce()
                src="/return.js"
                defer
                data-watch=watch
                data-version=version
                data-continue=next
                data-after-ms=(seconds * 1000).to_string()
            ></script>
        }
    });
    // A page naming the customer (a receipt; a checkout with their email
    // filled in) is never for search engines. Otherwise a checkout lives at
    // an unguessable address and payment links are meant to be shared.
    let personal = match &page {
        Page::Receipt(_) => true,
        Page::Pay(view) => !view.email.is_empty(),
        _ => false,
    };
    let private = personal.then(|| view! { <meta name="robots" content="noindex"/> });
    let description = page.brand().map(|b| w.t_with("meta-description", &[("merchant", b.name.as_str().into())]));
    let description = description.unwrap_or_else(|| w.t("meta-description-kassa"));
    let head = Some(
        view! { <meta name="description" content=description/> {private} {refresh} {accent} {processor} }.into_any(),
    );
    match Frame::current() {
        Frame::Hosted => {
            let main = view! { <main class="checkout">{body(page.clone())}</main> }.into_any();
            document(options, w.lang, title, interactive, head, "", main).into_any()
        }
        Frame::Embedded { origins } => {
            let main = embedded(&page, origins);
            document(options, w.lang, title, interactive, head, "embed", main).into_any()
        }
    }
}

/// The compact checkout inside the widget's iframe. `/embed.js` reads the
/// data attributes: whom it may talk to, and the outcome to tell them.
fn embedded(page: &Page, origins: Vec<String>) -> AnyView {
    let (state, order, reason) = page.outcome();
    let session = order.map(|o| o.session_id.clone());
    let version = order.map(|o| o.version.to_string());
    let reason = reason.map(str::to_string);
    view! {
        <main
            class="checkout"
            data-kassa-origins=origins.join(" ")
            data-kassa-state=state
            data-kassa-session=session
            data-kassa-version=version
            data-kassa-reason=reason
        >
            {body(page.clone())}
        </main>
        <script src="/embed.js" defer></script>
    }
    .into_any()
}

/// The document every page shares. `interactive` pages load the islands'
/// WebAssembly; the rest stay plain HTML.
pub fn document(
    options: LeptosOptions,
    lang: &'static str,
    title: String,
    interactive: bool,
    head: Option<AnyView>,
    body_class: &'static str,
    body: AnyView,
) -> impl IntoView {
    let stylesheet = use_context::<super::Stylesheet>().map_or_else(|| "/pkg/kassa.css".to_string(), |s| s.0);
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{title}</title>
                {head}
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=stylesheet/>
                {interactive.then(|| view! { <HydrationScripts options=options.clone() islands=true/> })}
            </head>
            <body class=body_class>{body}</body>
        </html>
    }
}

fn body(page: Page) -> AnyView {
    let w = Words::current();
    match page {
        Page::Pay(view) => view! { <PayPage view/> }.into_any(),
        Page::Challenge(view) => view! { <ChallengePage view/> }.into_any(),
        Page::Receipt(view) => view! { <ReceiptPage view/> }.into_any(),
        Page::Link(view) => view! { <LinkPage view/> }.into_any(),
        Page::LinkUnavailable => view! {
            <section class="card notice">
                <h1>{w.t("link-unavailable-heading")}</h1>
                <p>{w.t("link-unavailable-text")}</p>
            </section>
        }
        .into_any(),
        Page::Return(view) => view! { <ReturnPage view/> }.into_any(),
        Page::Closed { order, reason } => view! { <ClosedPage order reason/> }.into_any(),
        Page::NotFound => view! {
            <section class="card notice">
                <h1>{w.t("not-found-heading")}</h1>
                <p>{w.t("not-found-text")}</p>
            </section>
        }
        .into_any(),
        Page::ServerError { message, reference } => view! {
            <section class="card notice" data-state="failed" role="alert">
                <h1>{w.t("server-error-heading")}</h1>
                <p>{message}</p>
                <p class="reference">{reference}</p>
            </section>
        }
        .into_any(),
        Page::Home { public_url } => view! { <HomePage public_url/> }.into_any(),
    }
}
