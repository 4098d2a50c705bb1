//! Storage. Callers see [`Store`] and plain records; which database sits
//! underneath is chosen by the URL. Queries are portable SQL with `$n`
//! placeholders, run through sqlx's `Any` driver.
//!
//! Every state change is one transaction that names the expected current
//! state in its `WHERE` clause and writes its event before committing.

mod attempts;
mod cache;
mod closing;
mod creates;
mod dashboard;
mod deliveries;
mod endpoints;
mod events;
mod idempotency;
mod keys;
mod late;
mod links;
mod merchants;
mod methods;
mod notices;
mod outbox;
mod overview;
mod receipts;
mod refunds;
mod routes;
mod search;
mod seed;
mod sessions;
mod throttle;
mod tx;

pub use attempts::{AttemptRecord, AttemptResolution, NewAttempt, AUTHENTICATION_REQUIRED, TOO_MANY_ATTEMPTS};
pub use cache::Changing;
pub use closing::ClosedBy;
pub use dashboard::{token_digest, DashboardUser, Login};
pub use deliveries::{DeliveryRecord, TryOutcome, WebhookAttemptRecord};
pub use endpoints::{EndpointChange, EndpointRecord};
pub use events::EventRecord;
pub use idempotency::{IdempotencyClaim, StoredResponse};
pub use keys::{ApiKeyRecord, Scope};
pub use links::{LinkFigures, LinkRecord, NewLink};
pub use merchants::{MerchantRecord, SiteChange, SiteRecord};
pub use methods::PaymentMethodRecord;
pub use notices::NOTICE_LIFETIME_MS;
pub use overview::{DayFigures, DAY_MS};
pub use receipts::ReceiptRecord;
pub use refunds::RefundRecord;
pub use routes::ProviderRoute;
pub use search::{DashboardFilter, Search};
pub use sessions::{CustomerContext, ListFilter, NewSession, SessionRecord, WooOrder};
pub use tx::Tx;

use app::lifecycle::LifecycleError;
use sqlx::{
    any::{AnyPoolOptions, AnyQueryResult},
    AnyPool, Executor,
};
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    /// The row was no longer in the state the change expected: another
    /// request changed it first.
    #[error("the record changed while this request ran")]
    Conflict,
    #[error("no such {0}: {1}")]
    NotFound(&'static str, String),
    /// A delivery whose endpoint is disabled or deleted is not sent again.
    #[error("the delivery's webhook endpoint is disabled or deleted; enable it (or make a new one) first")]
    EndpointNotEnabled,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The store's writing task is gone: the process is shutting down.
    #[error("the store is shutting down")]
    Closed,
}

/// `KASSA_DB_CONNECTIONS`: reading connections (SQLite) or all of them (PostgreSQL).
fn connections(default: u32) -> u32 {
    std::env::var("KASSA_DB_CONNECTIONS").ok().and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(default)
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Locks `<database>.lock` for as long as the process runs: the session
/// cache relies on this process being the SQLite database's one writer.
fn lock_database(url: &str) -> anyhow::Result<std::fs::File> {
    use std::str::FromStr;
    // The file as sqlx reads the URL (percent-decoding and all).
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    let database = std::fs::canonicalize(options.get_filename()).unwrap_or_else(|_| options.get_filename().into());
    let path = database.display();
    let lock_path = format!("{path}.lock");
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another Kassa process is serving {path}: one process per SQLite database (several processes need PostgreSQL)"
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(anyhow::anyhow!("cannot lock {lock_path}: {e}")),
    }
}

#[derive(Clone)]
pub struct Store {
    /// SQLite allows one writer at a time; one connection for writes keeps
    /// them queued in the process instead of failing with SQLITE_BUSY.
    /// On PostgreSQL both are the same pool.
    write: AnyPool,
    read: AnyPool,
    postgres: bool,
    /// Recently verified API keys (see `keys::KeyCache`).
    keys: std::sync::Arc<keys::KeyCache>,
    /// Each merchant's sites, read for every create (see `sites_of`).
    sites: std::sync::Arc<merchants::SiteCache>,
    /// Sessions as last read, when this process is the database's only
    /// writer (SQLite); see `cache.rs`.
    sessions: Option<std::sync::Arc<cache::SessionCache>>,
    /// New sessions waiting to be written together (see `creates.rs`).
    creates: creates::CreateQueue,
    /// How many refused forms' notices may be stored (see `notices.rs`).
    notices: std::sync::Arc<notices::Held>,
    /// Held while the process runs: one process per SQLite database.
    _lock: Option<std::sync::Arc<std::fs::File>>,
    /// Failed attempts a session allows before it closes (card testing).
    failed_attempts_allowed: i64,
}

impl Store {
    /// `sqlite://path` or `postgres://…`; migrations run before it returns
    /// (on PostgreSQL under sqlx's advisory lock, so processes starting
    /// together migrate once).
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            return Store::connect_postgres(url).await;
        }
        if !url.starts_with("sqlite:") {
            anyhow::bail!("unsupported DATABASE_URL: use sqlite://path or postgres://user@host/database");
        }
        let pool = |size: u32, writer: bool| {
            AnyPoolOptions::new()
                .max_connections(size)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        // WAL with NORMAL survives a killed process; only a
                        // power cut may lose the last commits.
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        if writer {
                            // A statement that may have to undo itself halfway
                            // (a multi-row insert firing triggers) keeps a
                            // journal; on disk that is a file created and
                            // deleted for each statement (5,400 → 6,500
                            // creates/s). Readers keep spilling big sorts to disk.
                            conn.execute("PRAGMA temp_store = MEMORY").await?;
                            // A checkpoint resets the log; keep what is left of it small.
                            conn.execute("PRAGMA journal_size_limit = 67108864").await?;
                        }
                        Ok(())
                    })
                })
        };
        let write = pool(1, true).connect(url).await?;
        let lock = lock_database(url)?;
        write.execute("PRAGMA journal_mode = WAL").await?;
        SQLITE_MIGRATIONS.run(&write).await?;
        let read = pool(connections(8), false).connect(url).await?;
        Ok(Store {
            creates: creates::CreateQueue::start(write.clone()),
            notices: std::sync::Arc::new(notices::Held::counted(&write).await?),
            write,
            read,
            postgres: false,
            keys: Default::default(),
            sites: Default::default(),
            sessions: Some(Default::default()),
            _lock: Some(std::sync::Arc::new(lock)),
            failed_attempts_allowed: crate::config::Limits::DEFAULT.session_failed_attempts,
        })
    }

    async fn connect_postgres(url: &str) -> anyhow::Result<Store> {
        let pool = AnyPoolOptions::new()
            .max_connections(connections(16))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot reach PostgreSQL: {e}"))?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            creates: creates::CreateQueue::start(pool.clone()),
            notices: Default::default(),
            write: pool.clone(),
            read: pool,
            postgres: true,
            keys: Default::default(),
            sites: Default::default(),
            sessions: None,
            _lock: None,
            failed_attempts_allowed: crate::config::Limits::DEFAULT.session_failed_attempts,
        })
    }

    /// How many failed attempts a session allows; the last one closes it.
    pub fn allow_failed_attempts(mut self, allowed: i64) -> Store {
        self.failed_attempts_allowed = allowed.max(1);
        self
    }

    /// Marks a session as changing: taken before any of its rows (session,
    /// attempts, payment) is written, finished after the commit. Whatever
    /// writes those rows outside the store takes it too.
    pub fn changing_session(&self, id: &str) -> Changing {
        match &self.sessions {
            Some(cache) => cache.changing(id, &self.write),
            None => Changing::none(),
        }
    }

    /// A unit of work for changes that commit together (an API answer kept
    /// for its Idempotency-Key with the change it answers).
    pub async fn begin(&self) -> Result<Tx> {
        Tx::begin(&self.write, self.sessions.as_ref()).await
    }

    pub fn reader(&self) -> &AnyPool {
        &self.read
    }
}

impl Store {
    /// Claims rows of an outbox table (`pending`, due by `next_attempt_at`)
    /// for `lease_ms`: a claim is a conditional update, so two workers never
    /// hold one row, and a worker that dies lets its rows go when the lease ends.
    async fn claim_due(&self, table: &'static str, now: i64, limit: i64, lease_ms: i64) -> Result<Vec<String>> {
        if self.postgres {
            // One statement; rows another process is claiming right now are
            // skipped rather than waited for, so the processes share the work.
            return Ok(sqlx::query_scalar(&format!(
                "UPDATE {table} SET lease_until = $1 WHERE id IN (
                    SELECT id FROM {table} WHERE status = 'pending' AND next_attempt_at <= $2
                        AND (lease_until IS NULL OR lease_until < $2)
                    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING id"
            ))
            .bind(now + lease_ms)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.write)
            .await?);
        }
        let due: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM {table} WHERE status = 'pending' AND next_attempt_at <= $1
                AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        let mut claimed = Vec::new();
        for id in due {
            let result = sqlx::query(&format!(
                "UPDATE {table} SET lease_until = $1
                 WHERE id = $2 AND status = 'pending' AND (lease_until IS NULL OR lease_until < $3)"
            ))
            .bind(now + lease_ms)
            .bind(&id)
            .bind(now)
            .execute(&self.write)
            .await?;
            if result.rows_affected() == 1 {
                claimed.push(id);
            }
        }
        Ok(claimed)
    }
}

/// One row changed, or someone else got there first.
fn expect_one(result: AnyQueryResult) -> Result<()> {
    if result.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}

/// A unique index said no: the change lost a race.
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// `($1, $2), ($3, $4)`, or `(?, ?), (?, ?)` on SQLite: the placeholders of
/// a multi-row `VALUES` for `rows` rows of `columns` each; `fixed` is
/// appended to every row as written.
fn placeholders(tx: &Tx, rows: usize, columns: usize, fixed: &str) -> String {
    // sqlx asks SQLite the name of every parameter, which SQLite finds by
    // walking all of them: with numbered ones, binding a statement of 16
    // sessions (448 parameters) cost quadratic time (6,500 → 9,300
    // creates/s without). Plain `?` have no name and are bound in order.
    let sqlite = tx.is_sqlite();
    (0..rows)
        .map(|row| {
            let numbers: Vec<String> = (1..=columns)
                .map(|c| if sqlite { "?".to_string() } else { format!("${}", row * columns + c) })
                .collect();
            format!("({}{fixed})", numbers.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
