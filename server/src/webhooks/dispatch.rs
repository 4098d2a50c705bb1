//! Sending due webhooks, fairly. Sends run side by side in a fixed number of
//! slots; one endpoint holds at most two of them and one merchant four, so
//! an endpoint that answers slowly or not at all delays its own events, never
//! another merchant's. Slots are refilled as each send ends, not batch by
//! batch, so nobody waits for the slowest send of a batch either.

use super::deliver;
use crate::{
    store::{DeliveryRecord, StoreError},
    time::now_ms,
    Services,
};
use futures::FutureExt;
use std::{collections::HashMap, panic::AssertUnwindSafe, time::Duration, time::Instant};

/// Sends in flight at once in this process.
const SLOTS: usize = 16;
/// Of which one endpoint may hold…
const PER_ENDPOINT: usize = 2;
/// …and one merchant.
const PER_MERCHANT: usize = 4;

/// How long a worker holds a delivery it is sending: twice the timeout, so a
/// worker that died mid-send frees it soon after.
const LEASE_MS: i64 = 20_000;

/// Who holds the slots.
#[derive(Default)]
struct Load {
    endpoints: HashMap<String, usize>,
    merchants: HashMap<String, usize>,
    sending: usize,
}

impl Load {
    fn admits(&self, delivery: &DeliveryRecord) -> bool {
        let held = |counts: &HashMap<String, usize>, key: &str| counts.get(key).copied().unwrap_or(0);
        held(&self.endpoints, &delivery.endpoint_id) < PER_ENDPOINT
            && held(&self.merchants, &delivery.merchant_id) < PER_MERCHANT
    }

    fn take(&mut self, delivery: &DeliveryRecord) {
        *self.endpoints.entry(delivery.endpoint_id.clone()).or_default() += 1;
        *self.merchants.entry(delivery.merchant_id.clone()).or_default() += 1;
        self.sending += 1;
    }

    fn give_back(&mut self, (endpoint, merchant): &(String, String)) {
        for (counts, key) in [(&mut self.endpoints, endpoint), (&mut self.merchants, merchant)] {
            if let Some(held) = counts.get_mut(key) {
                *held -= 1;
                if *held == 0 {
                    counts.remove(key);
                }
            }
        }
        self.sending -= 1;
    }
}

/// Claims due deliveries for the free slots, endpoints taking turns, within
/// each endpoint's and merchant's share.
async fn claim(state: &Services, now: i64, load: &mut Load) -> Result<Vec<DeliveryRecord>, StoreError> {
    let free = SLOTS - load.sending;
    let mut claimed = Vec::new();
    if free == 0 {
        return Ok(claimed);
    }
    let candidates = state.store.due_deliveries_in_turn(now, PER_ENDPOINT as i64, (free * 4) as i64).await?;
    for delivery in candidates {
        if claimed.len() == free {
            break;
        }
        if load.admits(&delivery) && state.store.claim_delivery(&delivery.id, now, LEASE_MS).await? {
            load.take(&delivery);
            claimed.push(delivery);
        }
    }
    Ok(claimed)
}

/// Sends due webhooks until `stop` turns true, looking for new ones every
/// `every` and whenever a send ends; sends under way are finished first.
pub async fn run(state: Services, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut load = Load::default();
    let mut sends = tokio::task::JoinSet::new();
    // Like the sweep, the first look waits one interval (a test that sets a
    // long one sends by `deliver_due` alone).
    tokio::select! {
        _ = tokio::time::sleep(every) => {}
        Ok(()) = stop.changed() => if *stop.borrow() { return },
    }
    loop {
        match claim(&state, now_ms(), &mut load).await {
            Ok(claimed) => {
                for delivery in claimed {
                    let state = state.clone();
                    sends.spawn(async move {
                        let sent = AssertUnwindSafe(deliver(&state, &delivery, now_ms())).catch_unwind().await;
                        match sent {
                            Ok(Ok(())) => {}
                            Ok(Err(e)) => {
                                tracing::warn!(error = ?e, delivery = %delivery.id, "webhook try not recorded")
                            }
                            Err(_) => tracing::error!(delivery = %delivery.id, "webhook try panicked"),
                        }
                        (delivery.endpoint_id, delivery.merchant_id)
                    });
                }
            }
            Err(e) => tracing::warn!(error = ?e, "could not look for due webhooks; trying again shortly"),
        }
        tokio::select! {
            Some(Ok(held)) = sends.join_next(), if !sends.is_empty() => load.give_back(&held),
            _ = tokio::time::sleep(every) => {}
            // A dropped sender (the tests serve without one) means run for good.
            Ok(()) = stop.changed() => if *stop.borrow() { break },
        }
    }
    while sends.join_next().await.is_some() {}
}

/// How many deliveries one call of [`deliver_due`] sends at most.
const PER_PASS: usize = 48;

/// Sends what is due as of `now` (an injectable clock) and returns how many
/// tries were made: the same claims, turns and shares as [`run`], one round
/// of slots at a time.
pub async fn deliver_due(state: &Services, now: i64) -> Result<usize, StoreError> {
    let started = Instant::now();
    let mut sent = 0;
    while sent < PER_PASS {
        let at = now + started.elapsed().as_millis() as i64;
        let mut load = Load::default();
        let batch = claim(state, at, &mut load).await?;
        if batch.is_empty() {
            break;
        }
        let sends: Vec<_> = batch.iter().map(|d| deliver(state, d, at)).collect();
        futures::future::join_all(sends).await.into_iter().collect::<Result<Vec<()>, _>>()?;
        sent += batch.len();
    }
    Ok(sent)
}
