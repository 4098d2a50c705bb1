//! What Kassa's work is done with: the store, the payment provider, the
//! secrets, mail and outgoing HTTP, the limits and the public address.
//! Payments, receipts, webhooks, the background worker and the pages'
//! server functions all take a `Services`; none of them knows of Leptos,
//! assets or the HTTP layer around it (that is [`crate::state::AppState`]).

use crate::{config::Limits, mail::Mailer, provider::PaymentProvider, secrets::Sealer, store::Store};
use std::sync::Arc;

#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub provider: Arc<dyn PaymentProvider>,
    /// How customers reach this service, for hosted-page links.
    pub public_url: String,
    /// Seals and opens webhook signing secrets; fingerprints cards.
    pub sealer: Arc<Sealer>,
    /// Sends webhooks: a 10 s timeout, no redirects followed.
    pub http: reqwest::Client,
    pub webhooks_allow_private: bool,
    pub mailer: Arc<Mailer>,
    pub mail_from: lettre::message::Mailbox,
    /// Card testing, link sessions, API budgets (`config::Limits`).
    pub limits: Arc<Limits>,
}
