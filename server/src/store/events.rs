use super::{json_text, outbox, placeholders, Result, Tx};
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
    /// 1 for a live session's event, 0 for a test one's.
    pub livemode: i64,
}

/// Event times strictly increase within this process, so the events one
/// transaction writes keep their order on the timeline.
fn event_time() -> i64 {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = now_ms();
    let previous = LAST.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(now.max(last + 1)));
    previous.map_or(now, |last| now.max(last + 1))
}

/// Writes an event of a session, and its webhook deliveries, inside the
/// transaction of the change it records, so they commit or vanish together;
/// `snapshot` is the session as the change leaves it.
pub(super) async fn record(tx: &mut Tx, mut event: NewEvent<'_>, snapshot: Value) -> Result<()> {
    if let Some(fields) = event.data.as_object_mut() {
        fields.insert("session".into(), snapshot);
    }
    record_all(tx, vec![event]).await
}

/// One event of a session, its data holding the session as it now stands.
pub(super) struct NewEvent<'a> {
    pub merchant_id: &'a str,
    pub session_id: &'a str,
    /// The session's mode.
    pub livemode: i64,
    pub kind: &'a str,
    pub data: Value,
}

/// Several sessions' events in one statement, then their deliveries.
pub(super) async fn record_all(tx: &mut Tx, events: Vec<NewEvent<'_>>) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = events.iter().map(|_| new_id("evt")).collect();
    let sql = format!(
        "INSERT INTO events (id, merchant_id, session_id, type, data, created_at, livemode) VALUES {}",
        placeholders(tx, events.len(), 7, "")
    );
    let mut query = sqlx::query(&sql);
    for (id, event) in ids.iter().zip(&events) {
        query = query
            .bind(id)
            .bind(event.merchant_id)
            .bind(event.session_id)
            .bind(event.kind)
            .bind(json_text(&event.data))
            .bind(event_time())
            .bind(event.livemode);
    }
    query.execute(tx.conn()).await?;
    let written: Vec<outbox::Written> = ids
        .iter()
        .zip(&events)
        .map(|(id, e)| outbox::Written {
            merchant_id: e.merchant_id,
            event_id: id,
            session_id: e.session_id,
            kind: e.kind,
        })
        .collect();
    outbox::fan_out(tx, &written).await
}

/// Writes an event that no endpoint receives unless the caller queues it.
pub(super) async fn record_only(
    tx: &mut Tx,
    merchant_id: &str,
    session_id: Option<&str>,
    kind: &str,
    data: Value,
) -> Result<String> {
    insert(tx, merchant_id, session_id, kind, &data).await
}

async fn insert(tx: &mut Tx, merchant_id: &str, session_id: Option<&str>, kind: &str, data: &Value) -> Result<String> {
    let id = new_id("evt");
    sqlx::query(
        "INSERT INTO events (id, merchant_id, session_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(merchant_id)
    .bind(session_id)
    .bind(kind)
    .bind(json_text(data))
    .bind(event_time())
    .execute(tx.conn())
    .await?;
    Ok(id)
}

const EVENT_SELECT: &str = "SELECT id, merchant_id, session_id, type, data, created_at, livemode FROM events";

impl super::Store {
    pub async fn event_by_id(&self, id: &str) -> Result<Option<EventRecord>> {
        Ok(sqlx::query_as(&format!("{EVENT_SELECT} WHERE id = $1")).bind(id).fetch_optional(self.reader()).await?)
    }

    pub async fn events_of_session(&self, session_id: &str) -> Result<Vec<EventRecord>> {
        Ok(sqlx::query_as(&format!("{EVENT_SELECT} WHERE session_id = $1 ORDER BY created_at, id"))
            .bind(session_id)
            .fetch_all(self.reader())
            .await?)
    }

    /// The merchant's event `id`, if it is of the mode asked for.
    pub async fn merchant_event(&self, merchant_id: &str, livemode: bool, id: &str) -> Result<Option<EventRecord>> {
        Ok(sqlx::query_as(&format!("{EVENT_SELECT} WHERE id = $1 AND merchant_id = $2 AND livemode = $3"))
            .bind(id)
            .bind(merchant_id)
            .bind(i64::from(livemode))
            .fetch_optional(self.reader())
            .await?)
    }

    /// Newest first, after the cursor, of one mode, optionally of one type.
    pub async fn list_events(
        &self,
        (merchant_id, livemode): (&str, bool),
        kind: Option<&str>,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<EventRecord>> {
        let mut sql = format!("{EVENT_SELECT} WHERE merchant_id = $1 AND livemode = $2");
        let mut n = 2;
        if kind.is_some() {
            n += 1;
            sql += &format!(" AND type = ${n}");
        }
        if after.is_some() {
            sql += &format!(" AND (created_at, id) < (${}, ${})", n + 1, n + 2);
            n += 2;
        }
        sql += &format!(" ORDER BY created_at DESC, id DESC LIMIT ${}", n + 1);
        let mut query = sqlx::query_as(&sql).bind(merchant_id).bind(i64::from(livemode));
        if let Some(kind) = kind {
            query = query.bind(kind);
        }
        if let Some((created_at, id)) = after {
            query = query.bind(created_at).bind(id);
        }
        Ok(query.bind(limit).fetch_all(self.reader()).await?)
    }
}
