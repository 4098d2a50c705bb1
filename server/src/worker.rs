//! Background work: expiring sessions whose time is up and asking the
//! provider about asynchronous attempts. Each item is a state change guarded
//! by its WHERE clause, so a sweep that races a customer does no harm.

use crate::{payments, store::StoreError, time::now_ms, AppState};
use app::lifecycle::Event;
use std::{
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};

/// Sweeps every `every` until `stop` turns true; a pass under way finishes first.
pub async fn run(state: AppState, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
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
            _ = stopped => return,
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
}

/// One pass over due work; returns how many items it finished.
pub async fn sweep(state: &AppState) -> Result<usize, StoreError> {
    let mut done = payments::resolve_due_attempts(state).await?;
    done += crate::webhooks::deliver_due(state, now_ms()).await?;
    done += crate::receipts::send_due(state, now_ms()).await?;
    // Old sign-in counters, once a minute: no need to hold the writer each pass.
    static LAST_PURGE: AtomicI64 = AtomicI64::new(0);
    if now_ms() - LAST_PURGE.load(Ordering::Relaxed) > 60_000 {
        LAST_PURGE.store(now_ms(), Ordering::Relaxed);
        state.store.purge_sign_in_throttle(now_ms() - crate::dashboard::auth::TRY_WINDOW_MS).await?;
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
