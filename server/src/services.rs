//! What Kassa's work is done with: the store, the payment providers, the
//! secrets, mail and outgoing HTTP, the limits and the public address.
//! Payments, receipts, webhooks, the background worker and the pages'
//! server functions all take a `Services`; none of them knows of Leptos,
//! assets or the HTTP layer around it (that is [`crate::state::AppState`]).

use crate::{
    config::Limits,
    mail::Mailer,
    provider::{PaymentProvider, ProviderError, Providers},
    secrets::Sealer,
    store::{SessionRecord, Store},
};
use std::sync::Arc;

#[derive(Clone)]
pub struct Services {
    pub store: Store,
    /// The sandbox, and the processors sites route live payments to.
    pub providers: Arc<Providers>,
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
    /// How long a processor's challenge stays open before it is read back
    /// from the processor, and between reads (`config::Config::read_back_ms`).
    pub read_back_ms: i64,
}

impl Services {
    /// The provider that takes the session's payments (its mode and route
    /// were fixed when it was made).
    pub async fn provider_of(&self, session: &SessionRecord) -> Result<Arc<dyn PaymentProvider>, ProviderError> {
        self.providers.get(&self.store, &self.sealer, &session.provider, &session.site_id).await
    }
}
