//! What the pages' server functions ask of the server (ssr only). Each
//! `#[server]` function sits next to the component whose form posts to it
//! and stays thin: it reads the request and calls one method here. The
//! server crate implements these over its services and hands them to
//! Leptos in context; nothing below them knows of HTTP forms.

use crate::checks::PayForm;
use crate::failure::Failure;
use crate::pages::StoredSession;
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use std::sync::Arc;

/// What a customer's forms do: a path on Kassa to send the browser to next.
#[async_trait::async_trait]
pub trait Checkout: Send + Sync {
    /// Pays session `to` (a retry as well as the first try), or, for a
    /// fixed-price payment link, makes its session and pays it.
    async fn pay(&self, request: &Parts, to: PayTarget, form: PayForm) -> Result<String, Failure>;
    /// Pays session `session` with the token a processor's own card element
    /// made in the browser (Stripe): the card itself never reaches Kassa.
    async fn pay_token(&self, request: &Parts, session: &str, email: String, token: String) -> Result<String, Failure>;
    /// The customer's answer to the bank's 3-D Secure challenge.
    async fn answer_challenge(
        &self,
        request: &Parts,
        session: &str,
        attempt: &str,
        approved: bool,
    ) -> Result<String, Failure>;
    /// The customer gives up on the session.
    async fn cancel(&self, request: &Parts, session: &str) -> Result<String, Failure>;
    /// A payment link's amount or quantity, which makes its session.
    async fn choose(&self, request: &Parts, link: &str, choice: LinkChoice) -> Result<String, Failure>;
    /// Where the session stands, as stored.
    async fn session_now(&self, session: &str) -> Result<StoredSession, Failure>;
    /// The customer removes the card their session saved, from the receipt
    /// page their email links to (`receipt`: that link's token).
    async fn forget_card(&self, request: &Parts, receipt: &str, method: &str) -> Result<String, Failure>;
}

/// What the card form pays.
pub enum PayTarget {
    Session(String),
    /// A fixed-price payment link's slug: the session is made on paying.
    Link(String),
}

/// A payment link's form, as typed.
#[derive(Debug, Default)]
pub struct LinkChoice {
    pub amount: String,
    pub quantity: String,
}

/// What the merchant's dashboard forms do, for the login their request
/// carries (the server checked it and the form's CSRF token before any of
/// these runs): a path on Kassa to send the browser to next.
#[async_trait::async_trait]
pub trait Dashboard: Send + Sync {
    /// Signs in: the path, and the `Set-Cookie` of the new login (none when refused).
    async fn sign_in(
        &self,
        request: &Parts,
        email: String,
        password: String,
    ) -> Result<(String, Option<String>), Failure>;
    /// Signs out: the path, and the `Set-Cookie` that forgets the login.
    async fn sign_out(&self, request: &Parts) -> Result<(String, String), Failure>;
    async fn on_session(&self, request: &Parts, session: &str, action: SessionAction) -> Result<String, Failure>;
    async fn create_link(&self, request: &Parts, link: NewLinkForm) -> Result<String, Failure>;
    async fn on_link(&self, request: &Parts, link: &str, action: LinkAction) -> Result<String, Failure>;
    async fn create_endpoint(&self, request: &Parts, url: String, events: Vec<String>) -> Result<String, Failure>;
    async fn on_endpoint(&self, request: &Parts, endpoint: &str, action: EndpointAction) -> Result<String, Failure>;
    async fn save_site(&self, request: &Parts, site: &str, form: SiteForm) -> Result<String, Failure>;
    /// Sets the processor that takes a site's live payments, and its keys.
    async fn save_route(&self, request: &Parts, site: &str, route: RouteForm) -> Result<String, Failure>;
    /// Shows live data (`live`) or test data from now on, back at `back`.
    async fn switch_mode(&self, request: &Parts, live: bool, back: String) -> Result<String, Failure>;
}

/// What the merchant does to one session from its page.
#[derive(Debug)]
pub enum SessionAction {
    Refund {
        amount: String,
        reason: String,
    },
    Expire,
    Cancel,
    /// A new session with the same order, for one that failed or was abandoned.
    Recover,
    ResendReceipt,
    Redeliver {
        delivery: String,
    },
}

#[derive(Debug, Default)]
pub struct NewLinkForm {
    pub title: String,
    pub currency: String,
    pub amount: String,
    pub min_amount: String,
    pub max_amount: String,
    pub adjustable_quantity: bool,
}

#[derive(Debug)]
pub enum LinkAction {
    Rename {
        title: String,
    },
    /// On if off, off if on.
    Switch,
}

#[derive(Debug)]
pub enum EndpointAction {
    /// Enabled if disabled, disabled if enabled.
    Switch,
    SendTest,
    RollSecret,
    Delete,
}

#[derive(Debug, Default)]
pub struct SiteForm {
    pub name: String,
    pub display_name: String,
    pub logo_url: String,
    pub accent_color: String,
    /// One origin a line.
    pub origins: String,
}

/// A site's provider route, as typed: the secrets are sealed once saved and
/// never shown again.
#[derive(Debug, Default)]
pub struct RouteForm {
    pub provider: String,
    pub secret_key: String,
    pub publishable_key: String,
    pub webhook_secret: String,
}

pub fn dashboard() -> Result<Arc<dyn Dashboard>, Failure> {
    use_context::<Arc<dyn Dashboard>>().ok_or(Failure::Unavailable)
}

pub fn checkout() -> Result<Arc<dyn Checkout>, Failure> {
    use_context::<Arc<dyn Checkout>>().ok_or(Failure::Unavailable)
}

/// The request the server function answers (its headers, address, surface).
pub fn request() -> Result<Parts, Failure> {
    use_context::<Parts>().ok_or(Failure::Unavailable)
}

/// Answers a form that also sets a cookie (signing in and out).
pub fn answer_setting(result: Result<(String, Option<String>), Failure>) -> Result<(), Failure> {
    if let (Ok((_, Some(cookie))), Some(response)) = (&result, use_context::<leptos_axum::ResponseOptions>()) {
        let cookie = HeaderValue::from_str(cookie).map_err(|_| Failure::Unavailable)?;
        response.insert_header(header::SET_COOKIE, cookie);
    }
    answer(result.map(|(path, _)| path))
}

/// Answers a form: a 303 to the path the desk chose (the browser then shows
/// that page, which reads the stored state), or the failure's status.
pub fn answer(result: Result<String, Failure>) -> Result<(), Failure> {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return Err(Failure::Unavailable) };
    match result {
        Ok(path) => {
            let location = HeaderValue::from_str(&path).map_err(|_| Failure::Unavailable)?;
            response.insert_header(header::LOCATION, location);
            response.set_status(StatusCode::SEE_OTHER);
            Ok(())
        }
        Err(failure) => {
            response.set_status(StatusCode::from_u16(failure.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
            Err(failure)
        }
    }
}

/// The body of a dashboard server function: the desk's `$method` for the
/// request's login, answered as a redirect.
macro_rules! desk_fn {
    ($method:ident($($arg:expr),*)) => {{
        let desk = $crate::desk::dashboard()?;
        $crate::desk::answer(desk.$method(&$crate::desk::request()?, $($arg),*).await)
    }};
}
pub(crate) use desk_fn;
