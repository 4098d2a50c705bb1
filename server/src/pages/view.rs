//! From stored records to what a page shows.

use crate::{
    new_session::{currency_exponent, LineItemInput},
    store::SessionRecord,
    time::now_ms,
    AppState,
};
use app::i18n::Words;
use app::lifecycle::{Outcome, Status};
use app::money::format_amount_in;
use app::pages::{
    Accent, Brand, ClosedReason, Frame, LineView, OrderView, Page, PayView, ProcessorView, ReturnState, ReturnView,
};
use axum::{
    body::Body,
    http::{header, HeaderValue, Request, StatusCode},
    response::{IntoResponse, Response},
};
use leptos::prelude::{provide_context, use_context, IntoView, LeptosOptions};

/// The session's amounts as the customer's language writes them.
pub fn money(w: &Words, session: &SessionRecord, minor: i64) -> String {
    format_amount_in(w.lang, minor, &session.currency, currency_exponent(&session.currency).unwrap_or(2))
}

pub async fn order(state: &crate::Services, session: &SessionRecord, w: &Words) -> OrderView {
    let money = |minor: i64| money(w, session, minor);
    let brand = brand(state, &session.site_id).await;
    let items: Vec<LineItemInput> = serde_json::from_str(&session.line_items).unwrap_or_default();
    let lines = items
        .into_iter()
        .map(|item| LineView {
            total: money(item.unit_amount * item.quantity),
            name: item.name,
            quantity: item.quantity,
        })
        .collect();
    OrderView {
        session_id: session.id.clone(),
        version: session.updated_at,
        brand,
        lines,
        total: money(session.amount),
        verification: session.amount == 0,
    }
}

/// The site's name, logo and accent as its customers see them.
pub async fn brand(state: &crate::Services, site_id: &str) -> Brand {
    match state.store.site_by_id(site_id).await {
        Ok(Some(site)) => Brand {
            name: site.shown_name().to_string(),
            accent: site.accent_color.map(|fill| Accent { text: crate::branding::text_on(&fill).to_string(), fill }),
            logo_url: site.logo_url,
        },
        _ => Brand::default(),
    }
}

/// The merchant's success URL with the session id filled in.
pub fn continue_url(session: &SessionRecord) -> Option<String> {
    session.success_url.as_ref().map(|url| url.replace("{CHECKOUT_SESSION_ID}", &session.id))
}

/// Decline codes that tell a card tester which detail of a stolen card is
/// wrong; named to the customer for the first decline of a session only.
const TELLING_DECLINES: &[&str] = &["insufficient_funds", "expired_card", "incorrect_cvc", "incorrect_number"];

/// Why the last try failed, in the customer's language: the provider's code
/// picks the message; a code Kassa has no words for gets the general one,
/// and after the first decline a telling code is a plain "declined" (the
/// merchant still sees the exact code).
fn failure_reason(session: &SessionRecord, w: &Words) -> String {
    let code = session.failure_code.as_deref().map(|code| match code {
        code if session.failed_attempts > 1 && TELLING_DECLINES.contains(&code) => "card_declined",
        code => code,
    });
    code.and_then(|code| w.try_t(&format!("decline-{code}"))).unwrap_or_else(|| w.t("decline-generic"))
}

/// The page for a session as stored: the form while it is payable, else why not.
pub async fn checkout_page(
    state: &AppState,
    session: &SessionRecord,
    problems: Vec<String>,
    email: Option<String>,
    w: &Words,
) -> Page {
    let order = order(state, session, w).await;
    let back_url = session.cancel_url.clone();
    let reason = match (session.state().status, session.state().outcome) {
        (Status::Open, _) => {
            let decline = (session.state().outcome == Outcome::Unpaid).then(|| failure_reason(session, w));
            let processor = processor_of(state, session).await;
            return Page::Pay(PayView {
                order,
                email: email.or_else(|| session.receipt_email().map(str::to_string)).unwrap_or_default(),
                decline,
                problems,
                expires_at_ms: session.expires_at,
                now_ms: now_ms(),
                version: session.updated_at,
                cancel_url: session.cancel_url.clone(),
                link: None,
                processor,
            });
        }
        (Status::Complete, Outcome::Unpaid) => ClosedReason::Failed { reason: failure_reason(session, w), back_url },
        (Status::Complete, _) => ClosedReason::Paid { continue_url: continue_url(session) },
        (Status::Expired, _) => ClosedReason::Expired { back_url },
        (Status::Cancelled, _) => ClosedReason::Cancelled { back_url },
    };
    Page::Closed { order, reason }
}

/// What the browser needs for the processor's own card element, when the
/// session's route is a processor that collects the card itself.
pub async fn processor_of(state: &AppState, session: &SessionRecord) -> Option<ProcessorView> {
    if session.provider == crate::new_session::Route::SANDBOX {
        return None;
    }
    match state.provider_of(session).await {
        Ok(provider) => provider.browser_key().map(|key| ProcessorView {
            publishable_key: key.to_string(),
            js_url: state.providers.stripe.js_url.clone(),
        }),
        Err(e) => {
            tracing::error!(session = %session.id, error = %e, "the session's provider route is unusable");
            None
        }
    }
}

/// The return page, while there is something to report on a payment; None
/// when the checkout page says it better (not started, expired, cancelled).
pub async fn return_page(state: &AppState, session: &SessionRecord, w: &Words) -> Option<Page> {
    let shown = match (session.state().status, session.state().outcome) {
        (_, Outcome::Pending) => ReturnState::Pending,
        (Status::Open, Outcome::Unpaid) => ReturnState::Failed { reason: failure_reason(session, w) },
        (Status::Complete, Outcome::Paid | Outcome::Reserved | Outcome::PaymentMethodVerified) => {
            ReturnState::Paid { continue_url: continue_url(session) }
        }
        _ => return None,
    };
    Some(Page::Return(ReturnView { order: order(state, session, w).await, state: shown }))
}

pub async fn receipt_page(
    state: &AppState,
    session: &SessionRecord,
    w: &Words,
) -> Result<Page, crate::store::StoreError> {
    let order = order(state, session, w).await;
    let card = state.store.paid_attempt(&session.id).await?;
    let when = |ms: i64| crate::i18n::date(w, ms);
    let refunds = state
        .store
        .refunds_of(&session.id)
        .await?
        .into_iter()
        .map(|r| (when(r.created_at), money(w, session, r.amount)))
        .collect();
    let shown = app::views::dashboard_state(&session.snapshot());
    let saved = match &session.payment_method_id {
        // Only the card this session saved: a series payment's belongs to the session that saved it.
        Some(id) => state.store.payment_method(id).await?.filter(|m| m.session_id == session.id),
        None => None,
    };
    Ok(Page::Receipt(app::pages::ReceiptView {
        order,
        state: w.t(&format!("state-{shown:?}")),
        paid_with: card.as_ref().map(|a| crate::i18n::card(w, &a.method_brand, &a.method_last4)),
        paid_at: card.map(|a| when(a.updated_at)),
        refunds,
        saved_card: saved.map(|m| app::pages::SavedCardView {
            card: crate::i18n::card(w, &m.brand, &m.last4),
            removed_on: m.detached_at.map(when),
            method: m.id,
        }),
        token: session.portal_token.clone().unwrap_or_default(),
    }))
}

/// Scripts and styles only from Kassa itself or carrying this page's nonce
/// (nothing else inline), WebAssembly allowed to compile, images from Kassa
/// and the merchant's logo host, forms only back to Kassa (and, for the
/// customer's cancel, on to the shop it redirects to: browsers check a form's
/// redirect too), and framed by nobody (`'none'`) or by the listed origins only.
///
/// A page with a processor's card element (Stripe) also lets in Stripe.js,
/// its frames and its API: nowhere else.
pub fn content_security_policy(nonce: &str, frame_ancestors: &str, policy: &Origins) -> String {
    let logo = policy.logo.as_deref().map(|o| format!(" {o}")).unwrap_or_default();
    let shop = policy.shop.as_deref().map(|o| format!(" {o}")).unwrap_or_default();
    let (script, frame, connect) = match &policy.processor {
        Some(p) => (
            format!(" {}", p.script),
            format!("frame-src 'self' {} https://hooks.stripe.com; ", p.script),
            format!(" {} {}", p.api, p.script),
        ),
        None => Default::default(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{script}; style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data:{logo}; connect-src 'self'{connect}; {frame}object-src 'none'; base-uri 'none'; \
         frame-ancestors {frame_ancestors}; form-action 'self'{shop}"
    )
}

/// The processor's origins a page with its card element needs.
#[derive(Clone)]
pub struct ProcessorOrigins {
    /// Stripe.js's (and its frames').
    pub script: String,
    /// Stripe's API, which Stripe.js calls from the browser.
    pub api: String,
}

/// The origins beyond Kassa's own that a page's policy names.
#[derive(Clone, Default)]
pub struct Origins {
    /// The merchant's logo host.
    pub logo: Option<String>,
    /// Where the customer's cancel sends them.
    pub shop: Option<String>,
    pub processor: Option<ProcessorOrigins>,
}

/// Renders a customer page on Kassa's own hosted page.
pub async fn render(state: &AppState, page: Page, w: Words, status: StatusCode, request: Request<Body>) -> Response {
    render_in(state, page, Frame::Hosted, w, status, request).await
}

/// Renders a customer page on its surface: hosted, or framed by the widget
/// for the site's listed origins only.
pub async fn render_in(
    state: &AppState,
    page: Page,
    frame: Frame,
    w: Words,
    status: StatusCode,
    request: Request<Body>,
) -> Response {
    let (page, ancestors) = match &frame {
        Frame::Hosted => (page, crate::origins::frame_ancestors(&[])),
        Frame::Embedded { origins } => (page.embedded(), crate::origins::frame_ancestors(origins)),
    };
    let logo = page
        .brand()
        .and_then(|b| b.logo_url.as_deref())
        .and_then(|url| crate::branding::parse_logo_url(url).ok())
        .map(|(_, origin)| origin);
    let shop = match &page {
        Page::Pay(view) => view.cancel_url.as_deref().and_then(origin_of),
        _ => None,
    };
    let processor = page.processor().and_then(|_| {
        Some(ProcessorOrigins {
            script: origin_of(&state.providers.stripe.js_url)?,
            api: origin_of(&state.providers.stripe.api_base)?,
        })
    });
    let provide = move || {
        provide_context(page.clone());
        provide_context(frame.clone());
        provide_context(w.clone());
    };
    render_document(
        state,
        provide,
        app::pages::shell,
        Policy { ancestors, origins: Origins { logo, shop, processor } },
        status,
        request,
    )
    .await
}

/// Renders a document whose `shell` reads `context` from Leptos's context.
pub async fn render_with<C, IV>(
    state: &AppState,
    context: C,
    shell: fn(LeptosOptions) -> IV,
    status: StatusCode,
    request: Request<Body>,
) -> Response
where
    C: Clone + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let provide = move || provide_context(context.clone());
    let policy = Policy { ancestors: crate::origins::frame_ancestors(&[]), origins: Origins::default() };
    render_document(state, provide, shell, policy, status, request).await
}

/// What a page's Content-Security-Policy lets in beyond Kassa itself.
#[derive(Clone)]
struct Policy {
    ancestors: String,
    origins: Origins,
}

/// `https://shop.example` of `https://shop.example/cart?x=1`; None for
/// anything a policy cannot name safely.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

async fn render_document<IV: IntoView + 'static>(
    state: &AppState,
    provide: impl Fn() + Clone + Send + Sync + 'static,
    shell: fn(LeptosOptions) -> IV,
    policy: Policy,
    status: StatusCode,
    request: Request<Body>,
) -> Response {
    let options = state.leptos.clone();
    let stylesheet = app::pages::Stylesheet(state.assets.stylesheet());
    let provide = move || {
        provide();
        provide_context(stylesheet.clone());
        // Leptos made this render's nonce already; the policy names it.
        if let (Some(nonce), Some(response)) =
            (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
        {
            if let Ok(value) =
                HeaderValue::from_str(&content_security_policy(&nonce, &policy.ancestors, &policy.origins))
            {
                response.insert_header(header::CONTENT_SECURITY_POLICY, value);
            }
        }
    };
    let handler = leptos_axum::render_app_async_with_context(provide, move || shell(options.clone()));
    let mut response = handler(request).await.into_response();
    *response.status_mut() = status;
    // Every page shows one session's state now, in the language this
    // browser asked for: no cache may keep it or hand it to another.
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}
