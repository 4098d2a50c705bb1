//! What a refused customer form leaves for its page (`store/notices.rs`):
//! the problems, and what the customer typed that is safe to show again
//! (their email, the amount they chose; never the card). The form's server
//! function keeps it and redirects; the page reads it back by a key the
//! query string has no part in.

use crate::Services;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Refused {
    /// The card form's problem codes (`app::checks::Problem`).
    pub problems: Vec<String>,
    /// A payment link form's problem (see `links::LinkProblem`).
    pub link_problem: Option<String>,
    pub email: String,
    pub amount: String,
}

/// An email is at most 254 characters; anything longer is not kept whole.
const LONGEST_KEPT: usize = 320;

impl Refused {
    pub fn card(problems: &[app::checks::Problem], email: &str) -> Refused {
        Refused {
            problems: problems.iter().map(|p| p.code().to_string()).collect(),
            email: email.chars().take(LONGEST_KEPT).collect(),
            ..Refused::default()
        }
    }
}

/// The card form of session `id`.
pub fn pay_key(id: &str) -> String {
    format!("pay:{id}")
}

/// A payment link's forms, per visitor's address (no session exists yet,
/// and the widget's frame may keep no cookie).
pub fn link_key(link_id: &str, client: Option<IpAddr>) -> String {
    match client {
        Some(ip) => format!("link:{link_id}:{ip}"),
        None => format!("link:{link_id}"),
    }
}

pub async fn keep(services: &Services, key: &str, refused: &Refused) -> Result<(), crate::store::StoreError> {
    let body = serde_json::to_string(refused).unwrap_or_default();
    services.store.keep_notice(key, &body, crate::time::now_ms()).await
}

/// What was refused under `key`, if anything (a store failure shows nothing).
pub async fn read(services: &Services, key: &str) -> Option<Refused> {
    match services.store.notice(key, crate::time::now_ms()).await {
        Ok(body) => body.and_then(|b| serde_json::from_str(&b).ok()),
        Err(e) => {
            tracing::warn!(error = ?e, "could not read a refused form's notice");
            None
        }
    }
}

/// What was refused under `key`, read once: a link's page shows it on the
/// way back from the post, and a later visit starts clean.
pub async fn take(services: &Services, key: &str) -> Option<Refused> {
    match services.store.take_notice(key, crate::time::now_ms()).await {
        Ok(body) => body.and_then(|b| serde_json::from_str(&b).ok()),
        Err(e) => {
            tracing::warn!(error = ?e, "could not read a refused form's notice");
            None
        }
    }
}

/// The form went through: its old refusal is no longer news.
pub async fn forget(services: &Services, key: &str) {
    if let Err(e) = services.store.drop_notice(key).await {
        tracing::warn!(error = ?e, "could not drop a refused form's notice");
    }
}
