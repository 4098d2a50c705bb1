use super::*;
use proptest::prelude::*;
use LifecycleError as E;
use Outcome::*;
use Status::*;

fn st(status: Status, outcome: Outcome) -> SessionState {
    SessionState::new(status, outcome)
}

/// Every kind of event, with the parameters that change its result.
fn all_events() -> Vec<Event> {
    let mut events = vec![
        Event::Open,
        Event::GiveDetails,
        Event::StartAttempt,
        Event::AttemptRequiresAction,
        Event::AttemptAwaitsProvider,
        Event::Expire,
        Event::Cancel,
        Event::CapturePayment,
        Event::Refund { amount: 500, paid: 1000, refunded: 0 },
        Event::Refund { amount: 1000, paid: 1000, refunded: 0 },
        Event::Refund { amount: 0, paid: 1000, refunded: 0 },
        Event::Refund { amount: 600, paid: 1000, refunded: 500 },
    ];
    for capture in Capture::ALL {
        for amount in [0, 2500] {
            events.push(Event::AttemptSucceeded { capture: *capture, amount });
        }
    }
    for sequence in Sequence::ALL {
        for last_allowed in [false, true] {
            events.push(Event::AttemptFailed { sequence: *sequence, last_allowed });
        }
    }
    events
}

/// DESIGN.md §2's transition table, written out row by row.
fn expected(state: SessionState, event: Event) -> Result<SessionState, LifecycleError> {
    let open = state.status == Open;
    let pending = state.outcome == Pending;
    match event {
        Event::CapturePayment if state == st(Complete, Reserved) => Ok(st(Complete, Paid)),
        Event::CapturePayment => Err(E::NotCapturable),
        Event::Refund { .. } if state != st(Complete, Paid) => Err(E::NotRefundable),
        Event::Refund { amount: 0, .. } => Err(E::RefundNotPositive),
        Event::Refund { amount: 600, .. } => Err(E::RefundTooLarge { remaining: 500 }),
        Event::Refund { .. } => Ok(state),
        _ if !open => Err(E::Closed(state.status)),
        Event::Open | Event::GiveDetails => Ok(state),
        Event::StartAttempt if pending => Err(E::AttemptInFlight),
        Event::StartAttempt => Ok(st(Open, Pending)),
        _ if matches!(event, Event::Expire | Event::Cancel) && pending => Err(E::AttemptInFlight),
        Event::Expire => Ok(st(Expired, state.outcome)),
        Event::Cancel => Ok(st(Cancelled, state.outcome)),
        _ if !pending => Err(E::NoAttemptInFlight),
        Event::AttemptRequiresAction | Event::AttemptAwaitsProvider => Ok(state),
        Event::AttemptSucceeded { amount: 0, .. } => Ok(st(Complete, PaymentMethodVerified)),
        Event::AttemptSucceeded { capture: Capture::Automatic, .. } => Ok(st(Complete, Paid)),
        Event::AttemptSucceeded { capture: Capture::Manual, .. } => Ok(st(Complete, Reserved)),
        Event::AttemptFailed { sequence: Sequence::NextInSeries, .. } => Ok(st(Complete, Unpaid)),
        Event::AttemptFailed { last_allowed: true, .. } => Ok(st(Complete, Unpaid)),
        Event::AttemptFailed { .. } => Ok(st(Open, Unpaid)),
    }
}

#[test]
fn every_state_and_event_pair_follows_the_design_table() {
    let mut checked = 0;
    for state in SessionState::reachable() {
        for event in all_events() {
            assert_eq!(apply(state, event), expected(state, event), "{state:?} + {event:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 11 * 22);
}

#[test]
fn named_rows_of_the_design_table() {
    let created = SessionState::CREATED;
    assert_eq!(apply(created, Event::StartAttempt), Ok(st(Open, Pending)));
    assert_eq!(apply(st(Open, Unpaid), Event::StartAttempt), Ok(st(Open, Pending)));
    assert_eq!(apply(st(Open, Pending), Event::StartAttempt), Err(E::AttemptInFlight));
    let fail_retry = Event::AttemptFailed { sequence: Sequence::OneTime, last_allowed: false };
    assert_eq!(apply(st(Open, Pending), fail_retry), Ok(st(Open, Unpaid)));
    let fail_locked = Event::AttemptFailed { sequence: Sequence::OneTime, last_allowed: true };
    assert_eq!(apply(st(Open, Pending), fail_locked), Ok(st(Complete, Unpaid)));
    let fail_series = Event::AttemptFailed { sequence: Sequence::NextInSeries, last_allowed: false };
    assert_eq!(apply(st(Open, Pending), fail_series), Ok(st(Complete, Unpaid)));
    assert_eq!(apply(st(Open, Pending), Event::Expire), Err(E::AttemptInFlight));
    assert_eq!(apply(st(Expired, NotStarted), Event::StartAttempt), Err(E::Closed(Expired)));
    assert_eq!(apply(st(Cancelled, Unpaid), Event::Open), Err(E::Closed(Cancelled)));
    assert_eq!(apply(st(Complete, Reserved), Event::CapturePayment), Ok(st(Complete, Paid)));
    let too_much = Event::Refund { amount: 1001, paid: 1000, refunded: 0 };
    assert_eq!(apply(st(Complete, Paid), too_much), Err(E::RefundTooLarge { remaining: 1000 }));
}

#[test]
fn every_reachable_state_is_reached_from_created() {
    let mut seen = std::collections::HashSet::from([SessionState::CREATED]);
    let mut frontier = vec![SessionState::CREATED];
    while let Some(state) = frontier.pop() {
        for event in all_events() {
            if let Ok(next) = apply(state, event) {
                if seen.insert(next) {
                    frontier.push(next);
                }
            }
        }
    }
    let mut reachable = SessionState::reachable();
    let mut seen: Vec<_> = seen.into_iter().collect();
    let key = |s: &SessionState| (s.status.as_str(), s.outcome.as_str());
    reachable.sort_by_key(key);
    seen.sort_by_key(key);
    assert_eq!(seen, reachable);
}

#[test]
fn wire_names_round_trip() {
    for s in Status::ALL {
        assert_eq!(Status::parse(s.as_str()), Some(*s));
        assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
    }
    for o in Outcome::ALL {
        assert_eq!(Outcome::parse(o.as_str()), Some(*o));
    }
    for a in AttemptStatus::ALL {
        assert_eq!(AttemptStatus::parse(a.as_str()), Some(*a));
    }
    assert_eq!(Status::parse("paid"), None);
}

#[test]
fn payment_status_is_derived_from_the_outcome() {
    assert_eq!(st(Open, NotStarted).payment_status(), "unpaid");
    assert_eq!(st(Open, Pending).payment_status(), "pending");
    assert_eq!(st(Complete, Paid).payment_status(), "paid");
    assert_eq!(st(Complete, Reserved).payment_status(), "paid");
    assert_eq!(st(Complete, PaymentMethodVerified).payment_status(), "paid");
    assert_eq!(st(Complete, Unpaid).payment_status(), "unpaid");
}

fn any_event() -> impl Strategy<Value = Event> {
    let events = all_events();
    (0..events.len()).prop_map(move |i| events[i])
}

proptest! {
    #[test]
    fn status_leaves_open_once_and_paid_never_goes_back(
        events in proptest::collection::vec(any_event(), 0..40)
    ) {
        let mut state = SessionState::CREATED;
        let mut left_open = false;
        let mut was_paid = false;
        for event in events {
            let Ok(next) = apply(state, event) else { continue };
            if state.status != Open {
                prop_assert_eq!(next.status, state.status, "a closed session moved");
                let captured = (state.outcome, next.outcome) == (Reserved, Paid);
                prop_assert!(next == state || captured, "a closed session changed outcome");
            }
            if next.status != Open {
                left_open = true;
            }
            if left_open {
                prop_assert_ne!(next.status, Open, "a session reopened");
            }
            if was_paid {
                prop_assert_eq!(next.outcome, Paid, "outcome went back from paid");
            }
            was_paid = next.outcome == Paid;
            prop_assert!(SessionState::reachable().contains(&next));
            state = next;
        }
    }
}
