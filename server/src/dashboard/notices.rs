//! What a dashboard form leaves for the page it redirects to: what was done,
//! or why not, and a webhook secret just made (sealed, shown once). Kept in
//! `form_notices` under the login (or, for signing in, the address) and read
//! once by the next page, never from the query string.

use crate::{store::Login, Services};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Notice {
    /// The path of the page it is for; another page leaves it unread.
    pub page: String,
    pub done: Option<String>,
    pub error: Option<String>,
    /// A new signing secret: the endpoint's id and the secret, sealed.
    pub secret: Option<(String, String)>,
    /// The sign-in form's email, kept.
    pub email: String,
}

impl Notice {
    pub fn done(page: impl Into<String>, done: impl Into<String>) -> Notice {
        Notice { page: page.into(), done: Some(done.into()), ..Notice::default() }
    }

    pub fn refused(page: impl Into<String>, error: impl Into<String>) -> Notice {
        Notice { page: page.into(), error: Some(error.into()), ..Notice::default() }
    }
}

/// One login's notices (by a digest of its CSRF token: the key names no secret).
pub fn login_key(login: &Login) -> String {
    format!("dashboard:{}", crate::store::token_digest(&login.csrf_token))
}

/// The sign-in form's, per address (nobody is signed in yet).
pub fn sign_in_key(client: Option<IpAddr>) -> String {
    format!("sign-in:{}", client.map(|ip| ip.to_string()).unwrap_or_default())
}

/// Keeps `notice` and answers with its page, where it will be shown.
pub async fn keep(services: &Services, key: &str, notice: Notice) -> Result<String, app::failure::Failure> {
    let body = serde_json::to_string(&notice).unwrap_or_default();
    services.store.keep_notice(key, &body, crate::time::now_ms()).await?;
    Ok(notice.page)
}

/// The notice for `page`, read once; nothing if there is none, or if it is
/// another page's.
pub async fn take(services: &Services, key: &str, page: &str) -> Notice {
    let stored = match services.store.take_notice(key, crate::time::now_ms()).await {
        Ok(body) => body.and_then(|b| serde_json::from_str::<Notice>(&b).ok()),
        Err(e) => {
            tracing::warn!(error = ?e, "could not read a dashboard notice");
            None
        }
    };
    stored.filter(|n| n.page == page).unwrap_or_default()
}
