//! API keys: `sk_test_<lookup><secret>`. The lookup finds the row; the
//! SHA-256 digest of the whole key is compared in constant time. Keys carry
//! 190 random bits, so a fast digest is the right tool (a password hash is
//! for guessable secrets).

use super::{Result, Store};
use crate::{ids::new_id, time::now_ms};
use rand::{distributions::Alphanumeric, rngs::OsRng, Rng};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const LOOKUP_LEN: usize = 12;
const SECRET_LEN: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    SessionsRead,
    SessionsWrite,
    StatusRead,
    EventsRead,
    WebhooksWrite,
    SitesWrite,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::SessionsRead,
        Scope::SessionsWrite,
        Scope::StatusRead,
        Scope::EventsRead,
        Scope::WebhooksWrite,
        Scope::SitesWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::SessionsRead => "sessions:read",
            Scope::SessionsWrite => "sessions:write",
            Scope::StatusRead => "status:read",
            Scope::EventsRead => "events:read",
            Scope::WebhooksWrite => "webhooks:write",
            Scope::SitesWrite => "sites:write",
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ApiKeyRecord {
    pub id: String,
    pub merchant_id: String,
    pub lookup: String,
    pub digest: String,
    pub livemode: i64,
    pub scopes: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl ApiKeyRecord {
    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.split(' ').any(|s| s == scope.as_str())
    }
}

fn digest(key: &str) -> String {
    Sha256::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn random_chars(n: usize) -> String {
    OsRng.sample_iter(&Alphanumeric).take(n).map(char::from).collect()
}

/// Splits `sk_test_…` / `sk_live_…` into its lookup part, or None if it is not a key's shape.
fn lookup_of(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("sk_test_").or_else(|| key.strip_prefix("sk_live_"))?;
    (rest.len() == LOOKUP_LEN + SECRET_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| &rest[..LOOKUP_LEN])
}

impl Store {
    /// Makes a key and returns it with the secret, which is never seen
    /// again: `sk_live_…` when `livemode`, else `sk_test_…`.
    pub async fn create_api_key(
        &self,
        merchant_id: &str,
        scopes: &[Scope],
        livemode: bool,
    ) -> Result<(ApiKeyRecord, String)> {
        let lookup = random_chars(LOOKUP_LEN);
        let prefix = if livemode { "sk_live_" } else { "sk_test_" };
        let secret = format!("{prefix}{lookup}{}", random_chars(SECRET_LEN));
        let scopes = scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
        let record = ApiKeyRecord {
            id: new_id("key"),
            merchant_id: merchant_id.to_string(),
            lookup,
            digest: digest(&secret),
            livemode: i64::from(livemode),
            scopes,
            created_at: now_ms(),
            revoked_at: None,
        };
        sqlx::query(
            "INSERT INTO api_keys (id, merchant_id, lookup, digest, livemode, scopes, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&record.id)
        .bind(&record.merchant_id)
        .bind(&record.lookup)
        .bind(&record.digest)
        .bind(record.livemode)
        .bind(&record.scopes)
        .bind(record.created_at)
        .execute(&self.write)
        .await?;
        Ok((record, secret))
    }

    /// The live key this secret belongs to, if any.
    pub async fn authenticate(&self, presented: &str) -> Result<Option<ApiKeyRecord>> {
        let Some(lookup) = lookup_of(presented) else { return Ok(None) };
        let presented_digest = digest(presented);
        if let Some(record) = self.keys.get(&presented_digest) {
            return Ok(Some(record));
        }
        let record: Option<ApiKeyRecord> = sqlx::query_as(
            "SELECT id, merchant_id, lookup, digest, livemode, scopes, created_at, revoked_at
             FROM api_keys WHERE lookup = $1",
        )
        .bind(lookup)
        .fetch_optional(&self.read)
        .await?;
        let verified = record
            .filter(|r| r.revoked_at.is_none() && bool::from(r.digest.as_bytes().ct_eq(presented_digest.as_bytes())));
        if let Some(record) = &verified {
            self.keys.put(presented_digest, record.clone());
        }
        Ok(verified)
    }
}

/// Keys verified in the last few seconds, by digest, so that a merchant
/// polling the status API costs one query a request, not two. A key revoked
/// in the database stops working here within `KeyCache::TTL`. Only keys
/// that verified are kept: a wrong key always reaches the database.
#[derive(Default)]
pub struct KeyCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, (ApiKeyRecord, std::time::Instant)>>,
}

impl KeyCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(5);
    const MAX: usize = 10_000;

    fn get(&self, digest: &str) -> Option<ApiKeyRecord> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(digest).filter(|(_, at)| at.elapsed() < Self::TTL).map(|(record, _)| record.clone())
    }

    fn put(&self, digest: String, record: ApiKeyRecord) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::MAX {
            entries.retain(|_, (_, at)| at.elapsed() < Self::TTL);
        }
        if entries.len() < Self::MAX {
            entries.insert(digest, (record, std::time::Instant::now()));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lookup_accepts_only_the_key_shape() {
        let key = format!("sk_test_{}{}", "a".repeat(12), "b".repeat(32));
        assert_eq!(super::lookup_of(&key), Some("aaaaaaaaaaaa"));
        assert_eq!(super::lookup_of("sk_test_short"), None);
        assert_eq!(super::lookup_of(&key.replace("sk_test_", "pk_test_")), None);
        assert_eq!(super::lookup_of(&format!("{key}!")), None);
    }
}
