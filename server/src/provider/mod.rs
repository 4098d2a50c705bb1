//! Payment providers turn an attempt into money (DESIGN.md §3, after seed
//! 003). The interface fits both kinds: the built-in sandbox, which takes
//! the card from Kassa's own form, and processors such as Stripe that
//! collect the card in their own element in the customer's browser and
//! hand Kassa only a token. Either way the outcome is the provider's own
//! answer, read on the server. Each keeps what it needs in the attempt's
//! `data` and its own id in `provider_ref`; Kassa itself only keeps the
//! card's brand, last four and expiry.

mod registry;
pub(crate) mod sandbox;
pub mod stripe;

pub use registry::Providers;
pub use sandbox::Sandbox;

use crate::store::{AttemptRecord, AttemptResolution, SessionRecord};
use app::checks::CardDetails;
use serde_json::Value;

/// What a provider answered about an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Authorization {
    Succeeded,
    /// Declined; `message` is safe to show the customer.
    Failed {
        code: &'static str,
        message: &'static str,
    },
    /// The customer must pass a challenge (3-D Secure) first.
    RequiresAction {
        data: Value,
    },
    /// Asynchronous: the answer comes later, about `after_ms` from now.
    Processing {
        after_ms: i64,
        data: Value,
    },
}

/// A card charged without the customer (a series payment) whose bank asked
/// for the customer: nobody was there to answer.
pub const AUTHENTICATION_REQUIRED: Authorization = Authorization::Failed {
    code: crate::store::AUTHENTICATION_REQUIRED.0,
    message: crate::store::AUTHENTICATION_REQUIRED.1,
};

impl Authorization {
    pub fn into_resolution(self, now_ms: i64) -> AttemptResolution {
        match self {
            Authorization::Succeeded => AttemptResolution::Succeeded,
            Authorization::Failed { code, message } => {
                AttemptResolution::Failed { code: code.into(), message: message.into() }
            }
            Authorization::RequiresAction { data } => AttemptResolution::RequiresAction { data },
            Authorization::Processing { after_ms, data } => {
                AttemptResolution::AwaitingProvider { resolve_at: now_ms + after_ms, data }
            }
        }
    }
}

/// What the customer paid with.
pub enum Method {
    /// The card typed into Kassa's own form (the sandbox only). It lives
    /// only for the call.
    Card(CardDetails),
    /// A token the provider's own element made in the customer's browser
    /// (Stripe's `tok_…`): the card itself never reached Kassa.
    Token(String),
    /// A card the provider kept for the customer (a saved payment method's
    /// `provider_data`), charged without them.
    Saved(Value),
}

/// The card as Kassa may keep it: what the timeline and the receipt show.
#[derive(Clone, Debug, PartialEq)]
pub struct CardSummary {
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

/// One payment asked of the provider.
pub struct Charge<'a> {
    pub session: &'a SessionRecord,
    pub attempt_id: &'a str,
    pub email: &'a str,
    pub method: &'a Method,
    /// The session keeps the card for later payments: the provider says
    /// what it needs to charge it again ([`Answer::saved`]).
    pub save: bool,
}

/// The provider's answer to a charge, and its own id for the payment
/// when it made one (kept even when the answer is a decline).
pub struct Answer {
    pub authorization: Authorization,
    pub reference: Option<String>,
    /// What the provider needs to charge the card again, when the charge
    /// asked to save it (kept only if the attempt succeeds).
    pub saved: Option<Value>,
}

impl From<Authorization> for Answer {
    fn from(authorization: Authorization) -> Answer {
        Answer { authorization, reference: None, saved: None }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider said no; the message says why, in its words.
    #[error("{0}")]
    Refused(String),
    /// The provider could not be reached or answered nonsense.
    #[error("the payment provider could not be reached: {0}")]
    Unreachable(String),
    /// The customer's token or card is not one the provider knows.
    #[error("{0}")]
    BadMethod(String),
}

/// A provider's own callback (e.g. a Stripe webhook), verified and read.
#[derive(Debug, PartialEq)]
pub struct Callback {
    /// The provider's id for the callback, to apply each once.
    pub id: String,
    /// What it says, or None for a kind Kassa does not act on.
    pub news: Option<News>,
}

/// What a callback says about a payment.
#[derive(Debug, PartialEq)]
pub struct News {
    /// The provider's own id for the payment (`provider_ref`).
    pub reference: String,
    /// Kassa's attempt, as the payment's own metadata names it: how a
    /// payment whose id Kassa never stored (its process died first) is found.
    pub attempt: Option<String>,
    pub authorization: Authorization,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CallbackError {
    #[error("the callback's signature does not verify: {0}")]
    Signature(&'static str),
    #[error("the callback's body is not one this provider sends: {0}")]
    Unreadable(String),
    #[error("this provider sends no callbacks")]
    NotSent,
}

#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync {
    fn name(&self) -> &'static str;
    /// The card behind what the customer gave, as Kassa may keep it.
    async fn describe(&self, method: &Method) -> Result<CardSummary, ProviderError>;
    /// Prepares a payment for the attempt and confirms it with the
    /// customer's method: the provider's first answer.
    async fn authorize(&self, charge: Charge<'_>) -> Answer;
    /// The customer's step in the browser (3-D Secure) is done: what the
    /// provider says now. `approved` is the sandbox's own challenge answer;
    /// a real processor's is read from the processor, never taken from it.
    async fn complete_action(&self, attempt: &AttemptRecord, approved: bool) -> Authorization;
    /// Reads back an attempt whose answer is due or was lost (reconciling).
    async fn check(&self, attempt: &AttemptRecord) -> Authorization;
    /// Takes `amount` of money that was only authorised (manual capture).
    async fn capture(&self, attempt: &AttemptRecord, amount: i64) -> Result<(), ProviderError>;
    /// Releases an authorisation that will not be captured.
    async fn cancel(&self, attempt: &AttemptRecord) -> Result<(), ProviderError>;
    /// Gives back `amount` of a payment: the provider's id for the refund.
    /// `key` is Kassa's id for the refund: asked twice, the provider makes one.
    async fn refund(&self, attempt: &AttemptRecord, amount: i64, key: &str) -> Result<Option<String>, ProviderError>;
    /// Gives back whatever the provider holds or took for an attempt Kassa
    /// no longer counts: an authorisation is cancelled, money taken is
    /// refunded (`key` makes it once). The provider's refund id, if any.
    async fn give_back(
        &self,
        attempt: &AttemptRecord,
        amount: i64,
        key: &str,
    ) -> Result<Option<String>, ProviderError> {
        let _ = (attempt, amount, key);
        Ok(None)
    }
    /// The provider's charge of a payment that succeeded (Stripe's `ch_…`),
    /// if it makes one.
    async fn charge_of(&self, attempt: &AttemptRecord) -> Result<Option<String>, ProviderError> {
        let _ = attempt;
        Ok(None)
    }
    /// Forgets a saved card (its `provider_data`): the provider can no
    /// longer charge it.
    async fn forget(&self, provider_data: &Value) -> Result<(), ProviderError> {
        let _ = provider_data;
        Ok(())
    }
    /// Verifies and reads one of the provider's callbacks; `now_s` is the
    /// time in Unix seconds, for the signature's freshness.
    fn parse_callback(&self, signature: Option<&str>, body: &[u8], now_s: i64) -> Result<Callback, CallbackError> {
        let _ = (signature, body, now_s);
        Err(CallbackError::NotSent)
    }
    /// What the customer's browser needs for the provider's own element
    /// (Stripe's publishable key), or None when Kassa's form takes the card.
    fn browser_key(&self) -> Option<&str> {
        None
    }
}

/// The customer's attempt data as the provider left it.
pub(crate) fn data_of(attempt: &AttemptRecord) -> Value {
    serde_json::from_str(&attempt.data).unwrap_or_default()
}
