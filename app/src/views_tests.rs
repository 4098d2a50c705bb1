use super::*;
use crate::lifecycle::{AttemptStatus as A, Outcome::*, Status::*};
use DashboardState as D;
use PartnerOutcome as PO;
use PartnerStatus as P;

fn snap(status: Status, outcome: Outcome, launched: bool, attempt: Option<A>, refunded: i64) -> Snapshot {
    Snapshot {
        state: SessionState::new(status, outcome),
        launched,
        attempt,
        amount_paid: 1000,
        amount_refunded: refunded,
    }
}

/// DESIGN.md §2 "How each stored state reads in the three views", row by row.
#[test]
fn every_row_of_the_design_table() {
    let rows: Vec<(Snapshot, D, Tab, P, Option<PO>)> = vec![
        (snap(Open, NotStarted, false, None, 0), D::Created, Tab::Open, P::Created, None),
        (snap(Open, NotStarted, true, None, 0), D::Created, Tab::Open, P::Launched, None),
        (snap(Open, Pending, true, Some(A::Processing), 0), D::Processing, Tab::Open, P::Pending, None),
        (snap(Open, Pending, true, Some(A::RequiresAction), 0), D::RequiresAction, Tab::Open, P::Pending, None),
        (snap(Open, Pending, true, Some(A::Pending), 0), D::Pending, Tab::Open, P::Pending, None),
        (snap(Open, Unpaid, true, Some(A::Failed), 0), D::Failed, Tab::Failed, P::Launched, None),
        (snap(Complete, Paid, true, Some(A::Succeeded), 0), D::Paid, Tab::Succeeded, P::Completed, Some(PO::Succeeded)),
        (
            snap(Complete, Paid, true, Some(A::Succeeded), 400),
            D::PartiallyRefunded,
            Tab::Refunded,
            P::Completed,
            Some(PO::Succeeded),
        ),
        (
            snap(Complete, Paid, true, Some(A::Succeeded), 1000),
            D::Refunded,
            Tab::Refunded,
            P::Completed,
            Some(PO::Succeeded),
        ),
        (
            snap(Complete, Reserved, true, Some(A::Succeeded), 0),
            D::Authorized,
            Tab::Succeeded,
            P::Completed,
            Some(PO::Succeeded),
        ),
        (
            snap(Complete, PaymentMethodVerified, true, Some(A::Succeeded), 0),
            D::Paid,
            Tab::Succeeded,
            P::Completed,
            Some(PO::Succeeded),
        ),
        (snap(Complete, Unpaid, false, Some(A::Failed), 0), D::Failed, Tab::Failed, P::Failed, Some(PO::Failed)),
        (snap(Expired, NotStarted, false, None, 0), D::Expired, Tab::Expired, P::Expired, Some(PO::Expired)),
        (snap(Expired, Unpaid, true, Some(A::Failed), 0), D::Expired, Tab::Expired, P::Expired, Some(PO::Expired)),
        (snap(Cancelled, NotStarted, true, None, 0), D::Cancelled, Tab::Cancelled, P::Cancelled, Some(PO::Cancelled)),
    ];
    for (s, state, t, partner, outcome) in rows {
        assert_eq!(dashboard_state(&s), state, "{s:?}");
        assert_eq!(tab(&s), t, "{s:?}");
        assert_eq!(partner_status(&s), (partner, outcome), "{s:?}");
    }
}

#[test]
fn every_reachable_state_has_a_view_in_every_table() {
    for state in SessionState::reachable() {
        for attempt in [None, Some(A::Processing), Some(A::Failed)] {
            let s = Snapshot { state, launched: true, attempt, amount_paid: 10, amount_refunded: 0 };
            let (partner, outcome) = partner_status(&s);
            // Seed 004: an outcome only once the session is terminal.
            assert_eq!(outcome.is_some(), state.status != Open, "{s:?} -> {partner:?}");
            assert_ne!(tab(&s), Tab::All);
        }
    }
}

#[test]
fn partner_values_are_spelled_as_seed_004() {
    assert_eq!(serde_json::to_string(&P::Completed).unwrap(), "\"Completed\"");
    assert_eq!(serde_json::to_string(&PO::Succeeded).unwrap(), "\"Succeeded\"");
    assert_eq!(D::RequiresAction.label(), "Requires action");
}

#[test]
fn tab_states_partition_every_stored_state() {
    let all = tab_states(Tab::All);
    assert_eq!(all.len(), 12, "11 reachable states, paid split by refunds");
    let mut seen = 0;
    for t in Tab::ALL.into_iter().filter(|t| *t != Tab::All) {
        seen += tab_states(t).len();
    }
    assert_eq!(seen, all.len(), "each state in exactly one tab");
    assert!(tab_states(Tab::Refunded).iter().all(|(s, refunded)| s.outcome == Paid && *refunded));
    assert!(tab_states(Tab::Failed).contains(&(SessionState::new(Open, Unpaid), false)));
    assert!(tab_states(Tab::Failed).contains(&(SessionState::new(Complete, Unpaid), false)));
    assert_eq!(Tab::from_slug("refunded"), Some(Tab::Refunded));
}
