//! The three ways a stored state is shown (DESIGN.md §2): the dashboard's
//! state badge, the dashboard tab, and the partner status API. All derived,
//! none stored.

use crate::lifecycle::{AttemptStatus, Outcome, SessionState, Status};
use serde::{Deserialize, Serialize};

/// What the views need besides the two state fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub state: SessionState,
    /// The customer has opened the hosted page.
    pub launched: bool,
    /// The latest attempt's status, if there was one.
    pub attempt: Option<AttemptStatus>,
    pub amount_paid: i64,
    pub amount_refunded: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DashboardState {
    Created,
    Pending,
    Processing,
    RequiresAction,
    Paid,
    Authorized,
    Failed,
    Expired,
    Cancelled,
    PartiallyRefunded,
    Refunded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    All,
    Open,
    Succeeded,
    Failed,
    Expired,
    Cancelled,
    Refunded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnerStatus {
    Created,
    Launched,
    Pending,
    Completed,
    Cancelled,
    Expired,
    Failed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnerOutcome {
    Succeeded,
    Cancelled,
    Expired,
    Failed,
}

impl DashboardState {
    pub const ALL: [DashboardState; 11] = [
        Self::Created,
        Self::Pending,
        Self::Processing,
        Self::RequiresAction,
        Self::Paid,
        Self::Authorized,
        Self::Failed,
        Self::Expired,
        Self::Cancelled,
        Self::PartiallyRefunded,
        Self::Refunded,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Created => "Created",
            Self::Pending => "Pending",
            Self::Processing => "Processing",
            Self::RequiresAction => "Requires action",
            Self::Paid => "Paid",
            Self::Authorized => "Authorized",
            Self::Failed => "Failed",
            Self::Expired => "Expired",
            Self::Cancelled => "Cancelled",
            Self::PartiallyRefunded => "Partially refunded",
            Self::Refunded => "Refunded",
        }
    }
}

pub fn dashboard_state(s: &Snapshot) -> DashboardState {
    use DashboardState as D;
    match (s.state.status, s.state.outcome) {
        (Status::Expired, _) => D::Expired,
        (Status::Cancelled, _) => D::Cancelled,
        (_, Outcome::Pending) => match s.attempt {
            Some(AttemptStatus::RequiresAction) => D::RequiresAction,
            Some(AttemptStatus::Pending) => D::Pending,
            _ => D::Processing,
        },
        (_, Outcome::NotStarted) => D::Created,
        (_, Outcome::Unpaid) => D::Failed,
        (_, Outcome::Reserved) => D::Authorized,
        (_, Outcome::PaymentMethodVerified) => D::Paid,
        (_, Outcome::Paid) if s.amount_refunded <= 0 => D::Paid,
        (_, Outcome::Paid) if s.amount_refunded < s.amount_paid => D::PartiallyRefunded,
        (_, Outcome::Paid) => D::Refunded,
    }
}

/// The list tab a session falls under (besides `All`, which holds every one).
pub fn tab(s: &Snapshot) -> Tab {
    use DashboardState as D;
    match dashboard_state(s) {
        D::Created | D::Pending | D::Processing | D::RequiresAction => Tab::Open,
        D::Paid | D::Authorized => Tab::Succeeded,
        D::PartiallyRefunded | D::Refunded => Tab::Refunded,
        D::Failed => Tab::Failed,
        D::Expired => Tab::Expired,
        D::Cancelled => Tab::Cancelled,
    }
}

/// Seed 004's coarse status, and the outcome once the session is terminal.
pub fn partner_status(s: &Snapshot) -> (PartnerStatus, Option<PartnerOutcome>) {
    use PartnerOutcome as O;
    use PartnerStatus as P;
    match (s.state.status, s.state.outcome) {
        (Status::Expired, _) => (P::Expired, Some(O::Expired)),
        (Status::Cancelled, _) => (P::Cancelled, Some(O::Cancelled)),
        (Status::Complete, Outcome::Unpaid) => (P::Failed, Some(O::Failed)),
        (Status::Complete, _) => (P::Completed, Some(O::Succeeded)),
        (Status::Open, Outcome::Pending) => (P::Pending, None),
        (Status::Open, Outcome::NotStarted) if !s.launched => (P::Created, None),
        (Status::Open, _) => (P::Launched, None),
    }
}

impl Tab {
    pub const ALL: [Tab; 7] =
        [Tab::All, Tab::Open, Tab::Succeeded, Tab::Failed, Tab::Expired, Tab::Cancelled, Tab::Refunded];

    pub fn label(self) -> &'static str {
        match self {
            Tab::All => "All",
            Tab::Open => "Open",
            Tab::Succeeded => "Succeeded",
            Tab::Failed => "Failed",
            Tab::Expired => "Expired",
            Tab::Cancelled => "Cancelled",
            Tab::Refunded => "Refunded",
        }
    }

    /// The tab's name in URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::All => "all",
            Tab::Open => "open",
            Tab::Succeeded => "succeeded",
            Tab::Failed => "failed",
            Tab::Expired => "expired",
            Tab::Cancelled => "cancelled",
            Tab::Refunded => "refunded",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

/// The stored states a tab holds, as (state, anything refunded), found by
/// asking [`tab`] itself so that storage can filter without a second copy
/// of the rules.
pub fn tab_states(wanted: Tab) -> Vec<(SessionState, bool)> {
    let mut states = Vec::new();
    for state in SessionState::reachable() {
        for refunded in [false, true] {
            if refunded && state.outcome != Outcome::Paid {
                continue;
            }
            let snapshot = Snapshot {
                state,
                launched: true,
                attempt: None,
                amount_paid: 100,
                amount_refunded: i64::from(refunded),
            };
            if wanted == Tab::All || tab(&snapshot) == wanted {
                states.push((state, refunded));
            }
        }
    }
    states
}

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
