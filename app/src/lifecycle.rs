//! The checkout-session lifecycle of DESIGN.md §2, as pure code.
//!
//! Storage, the HTTP API and the pages all ask [`apply`] what a change leads
//! to; none of them decides a transition on its own. The state is two fields
//! (`status`, `outcome`), never one overloaded enum.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as stored and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// A stored value read back: one this build does not know is an
        /// error, never quietly some other value.
        impl TryFrom<String> for $name {
            type Error = UnknownValue;

            fn try_from(text: String) -> Result<Self, UnknownValue> {
                Self::parse(&text).ok_or(UnknownValue { kind: stringify!($name), text })
            }
        }
    };
}

/// A stored text that names no value of its kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {text:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub text: String,
}

wire_enum!(
    /// Where the session is in its life; only `Open` moves.
    Status { Open = "open", Complete = "complete", Expired = "expired", Cancelled = "cancelled" }
);
wire_enum!(
    /// What became of the money.
    Outcome {
        NotStarted = "not_started",
        Pending = "pending",
        Paid = "paid",
        Unpaid = "unpaid",
        Reserved = "reserved",
        PaymentMethodVerified = "payment_method_verified",
    }
);
wire_enum!(
    /// Whether a customer is there to retry a failed payment.
    Sequence { OneTime = "one_time", FirstInSeries = "first_in_series", NextInSeries = "next_in_series" }
);
wire_enum!(
    /// When the authorised money is taken.
    Capture { Automatic = "automatic", Manual = "manual" }
);
wire_enum!(
    /// One try to pay inside a session.
    AttemptStatus {
        Processing = "processing",
        RequiresAction = "requires_action",
        Pending = "pending",
        Succeeded = "succeeded",
        Failed = "failed",
    }
);
wire_enum!(
    /// Where a session came from.
    Source { Hosted = "hosted", PaymentLink = "payment_link", Woocommerce = "woocommerce", Api = "api" }
);

// Where a new session starts when nothing says otherwise (the API's defaults).
// Written out because `wire_enum!` derives for every kind, and not all have one.
#[allow(clippy::derivable_impls)]
impl Default for Status {
    fn default() -> Self {
        Status::Open
    }
}
#[allow(clippy::derivable_impls)]
impl Default for Outcome {
    fn default() -> Self {
        Outcome::NotStarted
    }
}
#[allow(clippy::derivable_impls)]
impl Default for Sequence {
    fn default() -> Self {
        Sequence::OneTime
    }
}
#[allow(clippy::derivable_impls)]
impl Default for Capture {
    fn default() -> Self {
        Capture::Automatic
    }
}
#[allow(clippy::derivable_impls)]
impl Default for Source {
    fn default() -> Self {
        Source::Api
    }
}

impl AttemptStatus {
    /// An attempt in flight holds the session in `open / pending`.
    pub fn in_flight(self) -> bool {
        matches!(self, Self::Processing | Self::RequiresAction | Self::Pending)
    }
}

/// The two stored fields that make up a session's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionState {
    pub status: Status,
    pub outcome: Outcome,
}

impl SessionState {
    pub const CREATED: SessionState = SessionState::new(Status::Open, Outcome::NotStarted);

    pub const fn new(status: Status, outcome: Outcome) -> Self {
        Self { status, outcome }
    }

    /// Every combination the lifecycle can reach.
    pub fn reachable() -> Vec<SessionState> {
        use Outcome::*;
        use Status::*;
        [
            (Open, NotStarted),
            (Open, Pending),
            (Open, Unpaid),
            (Complete, Paid),
            (Complete, Unpaid),
            (Complete, Reserved),
            (Complete, PaymentMethodVerified),
            (Expired, NotStarted),
            (Expired, Unpaid),
            (Cancelled, NotStarted),
            (Cancelled, Unpaid),
        ]
        .into_iter()
        .map(|(s, o)| SessionState::new(s, o))
        .collect()
    }

    /// The deprecated `payment_status` older clients still read (seed 002).
    pub fn payment_status(self) -> &'static str {
        match self.outcome {
            Outcome::Paid | Outcome::Reserved | Outcome::PaymentMethodVerified => "paid",
            Outcome::Pending => "pending",
            Outcome::NotStarted | Outcome::Unpaid => "unpaid",
        }
    }
}

/// Something that happens to a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The customer opens the hosted page.
    Open,
    /// The customer gives their email or other details.
    GiveDetails,
    StartAttempt,
    /// The provider asks the customer for a 3-D Secure challenge.
    AttemptRequiresAction,
    /// An asynchronous method now waits on the provider.
    AttemptAwaitsProvider,
    AttemptSucceeded {
        capture: Capture,
        amount: i64,
    },
    AttemptFailed {
        sequence: Sequence,
        /// This failure is the last the session allows: too many tries
        /// failed in it (a guard against card testing), so it closes.
        last_allowed: bool,
    },
    Expire,
    Cancel,
    CapturePayment,
    /// `amount` given back from a payment of `paid`, of which `refunded` already went back.
    Refund {
        amount: i64,
        paid: i64,
        refunded: i64,
    },
}

/// Why a change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("the session is {0} and can no longer change")]
    Closed(Status),
    #[error("a payment attempt is already in progress for this session")]
    AttemptInFlight,
    #[error("no payment attempt is in progress for this session")]
    NoAttemptInFlight,
    #[error("the session is not open for payment")]
    NotPayable,
    #[error("only an authorized payment can be captured")]
    NotCapturable,
    #[error("only a paid session can be refunded")]
    NotRefundable,
    #[error("the refund amount must be greater than zero")]
    RefundNotPositive,
    #[error("the refund amount is more than the {remaining} that remains to refund")]
    RefundTooLarge { remaining: i64 },
}

/// What `event` does to a session in `state`: the next state, or why not.
pub fn apply(state: SessionState, event: Event) -> Result<SessionState, LifecycleError> {
    use Outcome::*;
    use Status::*;
    let SessionState { status, outcome } = state;
    let next = |status, outcome| Ok(SessionState::new(status, outcome));

    let in_flight = outcome == Pending;

    match event {
        Event::CapturePayment => match (status, outcome) {
            (Complete, Reserved) => next(Complete, Paid),
            _ => Err(LifecycleError::NotCapturable),
        },
        Event::Refund { amount, paid, refunded } => {
            if (status, outcome) != (Complete, Paid) {
                return Err(LifecycleError::NotRefundable);
            }
            if amount <= 0 {
                return Err(LifecycleError::RefundNotPositive);
            }
            let remaining = paid - refunded;
            if amount > remaining {
                return Err(LifecycleError::RefundTooLarge { remaining });
            }
            Ok(state)
        }
        _ if status != Open => Err(LifecycleError::Closed(status)),
        Event::Open | Event::GiveDetails => Ok(state),
        Event::StartAttempt => match outcome {
            NotStarted | Unpaid => next(Open, Pending),
            Pending => Err(LifecycleError::AttemptInFlight),
            _ => Err(LifecycleError::NotPayable),
        },
        Event::AttemptRequiresAction | Event::AttemptAwaitsProvider if in_flight => Ok(state),
        Event::AttemptSucceeded { capture, amount } if in_flight => {
            let outcome = match (amount, capture) {
                (0, _) => PaymentMethodVerified,
                (_, Capture::Automatic) => Paid,
                (_, Capture::Manual) => Reserved,
            };
            next(Complete, outcome)
        }
        Event::AttemptFailed { sequence, last_allowed } if in_flight => match (sequence, last_allowed) {
            (Sequence::NextInSeries, _) | (_, true) => next(Complete, Unpaid),
            (Sequence::OneTime | Sequence::FirstInSeries, false) => next(Open, Unpaid),
        },
        Event::AttemptRequiresAction
        | Event::AttemptAwaitsProvider
        | Event::AttemptSucceeded { .. }
        | Event::AttemptFailed { .. } => Err(LifecycleError::NoAttemptInFlight),
        Event::Expire | Event::Cancel if in_flight => Err(LifecycleError::AttemptInFlight),
        Event::Expire => next(Expired, outcome),
        Event::Cancel => next(Cancelled, outcome),
    }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
