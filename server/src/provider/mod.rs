//! Payment providers turn an attempt into money (DESIGN.md §3, after seed
//! 003). Each keeps what it needs in the attempt's `data`; Kassa itself only
//! keeps the card's brand, last four and expiry.

pub(crate) mod sandbox;

pub use sandbox::Sandbox;

use crate::store::AttemptResolution;
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

#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync {
    fn name(&self) -> &'static str;
    /// Asks for `amount`. The card lives only for this call.
    async fn authorize(&self, card: &CardDetails, amount: i64, currency: &str) -> Authorization;
    /// The customer's answer to the challenge of an attempt that required action.
    async fn complete_action(&self, data: &Value, approved: bool) -> Authorization;
    /// Asks again about an attempt that was processing.
    async fn check(&self, data: &Value) -> Authorization;
    /// Takes money that was only authorised (manual capture).
    async fn capture(&self, amount: i64, currency: &str) -> Result<(), &'static str>;
}
