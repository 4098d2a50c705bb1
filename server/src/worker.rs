//! Background work: expiring sessions whose time is up, asking the provider
//! about asynchronous attempts, sending receipts; beside it, in its own task
//! so that a merchant's slow endpoint delays nothing here, sending webhooks
//! (`webhooks::dispatch`). Each item is a state change guarded by its WHERE
//! clause, so a sweep that races a customer does no harm.

use crate::{payments, store::StoreError, time::now_ms, Services};
use app::lifecycle::Event;
use std::{
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

/// Sweeps every `every` until `stop` turns true; a pass under way finishes first.
pub async fn run(state: Services, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    let webhooks = tokio::spawn(crate::webhooks::dispatch(state.clone(), every, stop.clone()));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is immediate; the first pass waits one interval, so a
    // process (or a test) that sets a long interval gets no pass at all.
    tick.tick().await;
    loop {
        // A dropped sender (the tests serve without one) means run for good.
        let stopped = async {
            if stop.wait_for(|stopped| *stopped).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            _ = tick.tick() => {}
            _ = stopped => break,
        }
        // Each pass in its own task: a panic ends that pass, not the worker.
        let pass = tokio::spawn({
            let state = state.clone();
            async move { sweep(&state).await }
        });
        match pass.await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = ?e, "background sweep failed; retrying on the next tick"),
            Err(e) => tracing::error!(error = ?e, "background sweep panicked; retrying on the next tick"),
        }
    }
    // The webhook sends under way end too (each within its timeout).
    let _ = webhooks.await;
}

/// One pass over due work; returns how many items it finished.
pub async fn sweep(state: &Services) -> Result<usize, StoreError> {
    let mut done = payments::resolve_due_attempts(state).await?;
    done += crate::receipts::send_due(state, now_ms()).await?;
    done += crate::refunding::ask_again(state).await?;
    done += crate::reconcile::release_failed(state).await?;
    done += crate::reconcile::read_back_challenges(state).await?;
    done += crate::reconcile::note_charges(state).await?;
    done += crate::series::charge_waiting(state).await?;
    // Old counters of the limits, once a minute: no need to hold the writer each pass.
    static LAST_PURGE: AtomicI64 = AtomicI64::new(0);
    if now_ms() - LAST_PURGE.load(Ordering::Relaxed) > 60_000 {
        LAST_PURGE.store(now_ms(), Ordering::Relaxed);
        let longest = [
            crate::dashboard::auth::TRY_WINDOW_MS,
            state.limits.failed_payments_window_ms(),
            crate::pages::links::SESSIONS_WINDOW_MS,
        ];
        state.store.purge_throttle(now_ms() - longest.into_iter().max().unwrap_or_default()).await?;
        state.store.purge_notices(now_ms()).await?;
    }
    for id in state.store.sessions_due_to_expire(now_ms(), 100).await? {
        match state.store.close_session(&id, Event::Expire, crate::store::ClosedBy::Expiry).await {
            Ok(_) => done += 1,
            Err(StoreError::Conflict | StoreError::Lifecycle(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
