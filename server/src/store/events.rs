use super::{json_text, Result, Tx};
use crate::{ids::new_id, time::now_ms};
use serde_json::Value;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRecord {
    pub id: String,
    pub merchant_id: String,
    pub session_id: Option<String>,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub data: String,
    pub created_at: i64,
}

/// Event times strictly increase within this process, so the events one
/// transaction writes keep their order on the timeline.
fn event_time() -> i64 {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = now_ms();
    let previous = LAST.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(now.max(last + 1)));
    previous.map_or(now, |last| now.max(last + 1))
}

/// Writes an event inside the transaction of the change it records, so the
/// two commit or vanish together.
pub(super) async fn record(tx: &mut Tx, merchant_id: &str, session_id: &str, kind: &str, data: Value) -> Result<()> {
    sqlx::query(
        "INSERT INTO events (id, merchant_id, session_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id("evt"))
    .bind(merchant_id)
    .bind(session_id)
    .bind(kind)
    .bind(json_text(&data))
    .bind(event_time())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl super::Store {
    pub async fn events_of_session(&self, session_id: &str) -> Result<Vec<EventRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, merchant_id, session_id, type, data, created_at FROM events
             WHERE session_id = $1 ORDER BY created_at, id",
        )
        .bind(session_id)
        .fetch_all(self.reader())
        .await?)
    }
}
