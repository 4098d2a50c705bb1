//! The outbox: deliveries queued in the transaction of the event they carry,
//! so an event and its webhooks commit or vanish together.

use super::endpoints::{EndpointRecord, ENDPOINT_SELECT};
use super::{placeholders, Result, Tx};
use crate::{ids::new_id, time::now_ms};

/// An event just written, for the endpoints that want it.
pub(super) struct Written<'a> {
    pub merchant_id: &'a str,
    pub event_id: &'a str,
    pub session_id: &'a str,
    pub kind: &'a str,
}

/// Queues a delivery of each event to each enabled endpoint of its merchant
/// that wants it: one lookup per merchant, one statement for them all.
pub(super) async fn fan_out(tx: &mut Tx, events: &[Written<'_>]) -> Result<()> {
    let mut merchants: Vec<&str> = events.iter().map(|e| e.merchant_id).collect();
    merchants.sort_unstable();
    merchants.dedup();
    let mut rows: Vec<(&Written, String)> = Vec::new();
    for merchant_id in merchants {
        let endpoints: Vec<EndpointRecord> =
            sqlx::query_as(&format!("{ENDPOINT_SELECT} WHERE merchant_id = $1 AND status = 'enabled'"))
                .bind(merchant_id)
                .fetch_all(tx.conn())
                .await?;
        for event in events.iter().filter(|e| e.merchant_id == merchant_id) {
            rows.extend(endpoints.iter().filter(|e| e.wants(event.kind)).map(|e| (event, e.id.clone())));
        }
    }
    let now = now_ms();
    // Statements stay well under SQLite's 32,766 parameters, however many
    // endpoints a merchant has.
    for chunk in rows.chunks(500) {
        let sql = format!(
            "INSERT INTO webhook_deliveries (id, merchant_id, endpoint_id, event_id, session_id, next_attempt_at,
                created_at, updated_at, status, attempts) VALUES {}",
            placeholders(tx, chunk.len(), 8, ", 'pending', 0")
        );
        let mut query = sqlx::query(&sql);
        for (event, endpoint_id) in chunk {
            query = query
                .bind(new_id("wd"))
                .bind(event.merchant_id)
                .bind(endpoint_id)
                .bind(event.event_id)
                .bind(event.session_id)
                .bind(now)
                .bind(now)
                .bind(now);
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// One delivery of one event to one endpoint.
pub(super) async fn queue(
    tx: &mut Tx,
    merchant_id: &str,
    endpoint_id: &str,
    event_id: &str,
    session_id: Option<&str>,
) -> Result<String> {
    let now = now_ms();
    let id = new_id("wd");
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, merchant_id, endpoint_id, event_id, session_id, status, attempts,
            next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6)",
    )
    .bind(&id)
    .bind(merchant_id)
    .bind(endpoint_id)
    .bind(event_id)
    .bind(session_id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(id)
}
