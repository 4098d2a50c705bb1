//! `/v1/events`: everything that happened, newest first.

use super::extract::ApiKey;
use crate::{
    error::ApiError,
    store::{EventRecord, Scope},
    time::rfc3339,
    AppState,
};
use axum::{
    extract::{Path, Query, State},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct EventObject {
    pub id: String,
    /// Always `event`.
    pub object: &'static str,
    /// e.g. `checkout.session.completed`.
    #[serde(rename = "type")]
    pub kind: String,
    pub session_id: Option<String>,
    /// An event of a live session (made with a live key), or a test one.
    pub livemode: bool,
    /// What happened, with the session as the event left it.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub created_at: String,
}

impl From<EventRecord> for EventObject {
    fn from(e: EventRecord) -> Self {
        EventObject {
            data: serde_json::from_str(&e.data).unwrap_or_default(),
            id: e.id,
            object: "event",
            kind: e.kind,
            session_id: e.session_id,
            livemode: e.livemode != 0,
            created_at: rfc3339(e.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub object: &'static str,
    pub data: Vec<EventObject>,
    pub has_more: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// 1 to 100, default 10.
    #[serde(default, deserialize_with = "crate::whole::option::from_text")]
    limit: Option<i64>,
    /// The id of the last event of the previous page.
    starting_after: Option<String>,
    /// Only events of this type.
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// List events, newest first.
#[utoipa::path(get, path = "/v1/events", tag = "events", params(EventQuery),
    responses((status = 200, body = EventList), (status = 400)), security(("bearer" = [])))]
pub async fn list_events(
    State(state): State<AppState>,
    key: ApiKey,
    query: Result<Query<EventQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<EventList>, ApiError> {
    let merchant_id = key.require(Scope::EventsRead)?;
    let Query(query) =
        query.map_err(|e| ApiError::Invalid { code: "parameter_invalid", message: e.body_text(), param: None })?;
    if let Some(kind) = query.kind.as_deref().filter(|k| !crate::webhooks::EVENT_TYPES.contains(k)) {
        return Err(ApiError::invalid("type", "parameter_invalid", format!("unknown event type `{kind}`")));
    }
    let limit = query.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit", "parameter_invalid", "limit must be between 1 and 100"));
    }
    let after = match &query.starting_after {
        None => None,
        Some(id) => {
            let event = state
                .store
                .merchant_event(merchant_id, key.live(), id)
                .await?
                .ok_or_else(|| ApiError::no_such("starting_after", "event", id))?;
            Some((event.created_at, event.id))
        }
    };
    let mut events =
        state.store.list_events((merchant_id, key.live()), query.kind.as_deref(), after, limit + 1).await?;
    let has_more = events.len() as i64 > limit;
    events.truncate(limit as usize);
    Ok(Json(EventList { object: "list", data: events.into_iter().map(EventObject::from).collect(), has_more }))
}

/// Retrieve an event.
#[utoipa::path(get, path = "/v1/events/{id}", tag = "events", params(("id" = String, Path)),
    responses((status = 200, body = EventObject), (status = 404)), security(("bearer" = [])))]
pub async fn retrieve_event(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> Result<Json<EventObject>, ApiError> {
    let merchant_id = key.require(Scope::EventsRead)?;
    let event = state
        .store
        .merchant_event(merchant_id, key.live(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("event", &id))?;
    Ok(Json(EventObject::from(event)))
}
