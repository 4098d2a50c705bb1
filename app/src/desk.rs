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

pub fn checkout() -> Result<Arc<dyn Checkout>, Failure> {
    use_context::<Arc<dyn Checkout>>().ok_or(Failure::Unavailable)
}

/// The request the server function answers (its headers, address, surface).
pub fn request() -> Result<Parts, Failure> {
    use_context::<Parts>().ok_or(Failure::Unavailable)
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
