use super::{events, expect_one, Result, Store, StoreError, Tx};
use crate::time::now_ms;
use app::lifecycle::{apply, AttemptStatus, Capture, Event, Outcome, Sequence, SessionState, Source, Status};
use app::views::Snapshot;
use serde_json::{json, Value};

/// A session ready to be written: every field already checked.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub id: String,
    pub merchant_id: String,
    pub site_id: String,
    /// Made with an `sk_live_…` key: real money, through `provider`.
    pub livemode: bool,
    /// `sandbox` in test mode; the site's provider route in live mode.
    pub provider: String,
    pub source: Source,
    pub sequence: Sequence,
    pub capture: Capture,
    pub amount: i64,
    pub currency: String,
    pub line_items: serde_json::Value,
    pub customer_email: Option<String>,
    pub order_id: Option<String>,
    pub metadata: serde_json::Value,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub locale: Option<String>,
    pub expires_at: i64,
    pub woocommerce: Option<WooOrder>,
    pub payment_link_id: Option<String>,
    /// The merchant's own name for the customer (saved methods are theirs).
    pub customer: Option<String>,
    /// Keep the card for later payments when this session succeeds.
    pub save_payment_method: bool,
    /// `next_in_series`: the saved method it charges.
    pub payment_method_id: Option<String>,
}

/// The WooCommerce order a session pays for.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WooOrder {
    /// The store's address, e.g. `https://shop.example`.
    pub store_url: String,
    pub order_id: String,
    pub order_key: String,
}

impl WooOrder {
    /// The order's page in WordPress admin (WooCommerce's order storage).
    pub fn admin_url(&self) -> String {
        format!(
            "{}/wp-admin/admin.php?page=wc-orders&action=edit&id={}",
            self.store_url.trim_end_matches('/'),
            self.order_id
        )
    }
}

pub(super) const SESSION_SELECT: &str = "SELECT s.id, s.merchant_id, s.site_id, s.livemode, s.source, s.sequence,
    s.capture, s.amount, s.currency, s.line_items, s.customer_email, s.payer_email, s.order_id, s.metadata, s.success_url,
    s.cancel_url, s.locale, s.provider, s.settlement_currency, s.status, s.outcome, s.failure_code,
    s.failure_message, s.failed_attempts, s.payment_id, s.customer_ip, s.customer_user_agent, s.customer_language, s.customer_country, s.customer_city, s.launched_at,
    s.details_at, s.expires_at, s.created_at, s.updated_at, s.woo_store_url, s.woo_order_id, s.woo_order_key, s.portal_token, s.payment_link_id,
    s.customer, s.save_payment_method, s.payment_method_id, p.amount_captured, p.provider_ref AS payment_ref,
    p.provider_charge AS payment_charge, p.amount_refunded,
    (SELECT a.status FROM payment_attempts a WHERE a.session_id = s.id
        ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS attempt_status,
    (SELECT a.id FROM payment_attempts a WHERE a.session_id = s.id
        ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS attempt_id
    FROM checkout_sessions s LEFT JOIN payments p ON p.session_id = s.id";

#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct SessionRecord {
    pub id: String,
    pub merchant_id: String,
    pub site_id: String,
    pub livemode: i64,
    #[sqlx(try_from = "String")]
    pub source: Source,
    #[sqlx(try_from = "String")]
    pub sequence: Sequence,
    #[sqlx(try_from = "String")]
    pub capture: Capture,
    pub amount: i64,
    pub currency: String,
    pub line_items: String,
    /// The email the merchant gave when making the session.
    pub customer_email: Option<String>,
    /// The email the payer typed at the checkout.
    pub payer_email: Option<String>,
    pub order_id: Option<String>,
    pub metadata: String,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    pub locale: Option<String>,
    pub provider: String,
    pub settlement_currency: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    #[sqlx(try_from = "String")]
    pub outcome: Outcome,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    /// Attempts that failed in this session (it closes at the allowed number).
    pub failed_attempts: i64,
    pub payment_id: Option<String>,
    pub customer_ip: Option<String>,
    pub customer_user_agent: Option<String>,
    pub customer_language: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `NL`.
    pub customer_country: Option<String>,
    pub customer_city: Option<String>,
    pub launched_at: Option<i64>,
    pub details_at: Option<i64>,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub woo_store_url: Option<String>,
    pub woo_order_id: Option<String>,
    pub woo_order_key: Option<String>,
    /// The unguessable part of the customer's receipt link.
    pub portal_token: Option<String>,
    pub payment_link_id: Option<String>,
    /// The merchant's own name for the customer.
    pub customer: Option<String>,
    /// 1 when the session keeps the customer's card on success.
    pub save_payment_method: i64,
    /// The saved method this session saved (or, `next_in_series`, charges).
    pub payment_method_id: Option<String>,
    /// The payment's id at its processor (a PaymentIntent), if it has one.
    pub payment_ref: Option<String>,
    /// The processor's charge of that payment, once Kassa looked it up.
    pub payment_charge: Option<String>,
    pub amount_captured: Option<i64>,
    pub amount_refunded: Option<i64>,
    pub attempt_status: Option<String>,
    /// The latest attempt, the partner status API's `paymentIntentId`.
    pub attempt_id: Option<String>,
}

impl SessionRecord {
    /// Where the customer's receipt goes: the address they typed, else the merchant's.
    pub fn receipt_email(&self) -> Option<&str> {
        self.payer_email.as_deref().or(self.customer_email.as_deref())
    }

    pub fn state(&self) -> SessionState {
        SessionState::new(self.status, self.outcome)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            state: self.state(),
            launched: self.launched_at.is_some(),
            attempt: self.attempt_status.as_deref().and_then(AttemptStatus::parse),
            amount_paid: self.amount_captured.unwrap_or(0),
            amount_refunded: self.amount_refunded.unwrap_or(0),
        }
    }

    /// The session as an event leaves it, so a webhook needs no second call.
    pub(super) fn event_snapshot(&self) -> Value {
        let woocommerce = self.woocommerce().map(|w| json!(w)).unwrap_or(Value::Null);
        json!({
            "id": self.id, "object": "checkout.session", "livemode": self.livemode != 0,
            "status": self.status, "outcome": self.outcome,
            "amount": self.amount, "currency": self.currency, "order_id": self.order_id,
            "customer_email": self.customer_email, "payer_email": self.payer_email, "payment_id": self.payment_id,
            "metadata": serde_json::from_str::<Value>(&self.metadata).unwrap_or(Value::Null), "woocommerce": woocommerce,
        })
    }

    /// Whether the session keeps the customer's card when it succeeds.
    pub fn saves_method(&self) -> bool {
        (self.save_payment_method != 0 || self.sequence == Sequence::FirstInSeries) && self.customer.is_some()
    }

    pub fn woocommerce(&self) -> Option<WooOrder> {
        match (&self.woo_store_url, &self.woo_order_id, &self.woo_order_key) {
            (Some(store_url), Some(order_id), Some(order_key)) => Some(WooOrder {
                store_url: store_url.clone(),
                order_id: order_id.clone(),
                order_key: order_key.clone(),
            }),
            _ => None,
        }
    }

    /// Open, past its expiry and with nothing in flight: due to expire.
    /// Its time is up, and nothing but (at most) a challenge waiting for the
    /// customer is in flight.
    pub fn is_due_to_expire(&self, now: i64) -> bool {
        let state = self.state();
        let idle = state.outcome != Outcome::Pending || self.waits_for_customer();
        state.status == Status::Open && idle && self.expires_at <= now
    }

    /// Its attempt waits on the customer's 3-D Secure answer.
    pub fn waits_for_customer(&self) -> bool {
        self.state() == SessionState::new(Status::Open, Outcome::Pending)
            && self.attempt_status.as_deref() == Some(AttemptStatus::RequiresAction.as_str())
    }
}

/// What the customer's browser told us when the page was opened.
#[derive(Clone, Debug, Default)]
pub struct CustomerContext {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub language: Option<String>,
    pub location: crate::location::Location,
}

#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Live sessions, or test ones (the key's mode).
    pub livemode: bool,
    pub status: Option<Status>,
    pub customer_email: Option<String>,
    /// Only sessions strictly after this one in the list (created_at, id).
    pub after: Option<(i64, String)>,
    pub limit: i64,
}

/// Moves the session from the state it was read in to where `event` leads,
/// or fails if another request moved it first.
pub(super) async fn transition(tx: &mut Tx, session: &SessionRecord, event: Event) -> Result<SessionState> {
    let from = session.state();
    let to = apply(from, event)?;
    let result = sqlx::query(
        "UPDATE checkout_sessions SET status = $1, outcome = $2,
            updated_at = CASE WHEN $3 > updated_at THEN $3 ELSE updated_at + 1 END
         WHERE id = $4 AND status = $5 AND outcome = $6",
    )
    .bind(to.status.as_str())
    .bind(to.outcome.as_str())
    .bind(now_ms())
    .bind(&session.id)
    .bind(from.status.as_str())
    .bind(from.outcome.as_str())
    .execute(tx.conn())
    .await?;
    expect_one(result)?;
    Ok(to)
}

/// The session as it stands inside `tx`, marked as changing (see `Tx`).
pub(super) async fn load(tx: &mut Tx, id: &str) -> Result<SessionRecord> {
    tx.mark_changing(id);
    sqlx::query_as(&format!("{SESSION_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| StoreError::NotFound("checkout session", id.to_string()))
}

/// A state read from an aggregate row: a value this build does not know is
/// an error, never quietly `open`.
pub(super) fn stored_state(status: String, outcome: String) -> Result<SessionState> {
    let decode = |e: app::lifecycle::UnknownValue| StoreError::Database(sqlx::Error::Decode(Box::new(e)));
    Ok(SessionState::new(Status::try_from(status).map_err(decode)?, Outcome::try_from(outcome).map_err(decode)?))
}

/// Writes an event of the session, its data holding the session as the
/// change leaves it (read in `tx`).
pub(super) async fn record_event(
    tx: &mut Tx,
    merchant_id: &str,
    session_id: &str,
    kind: &str,
    data: Value,
) -> Result<()> {
    let session = load(tx, session_id).await?;
    let event = events::NewEvent { merchant_id, session_id, livemode: session.livemode, kind, data };
    events::record(tx, event, session.event_snapshot()).await
}

pub(super) fn state_data(state: SessionState) -> serde_json::Value {
    json!({"status": state.status, "outcome": state.outcome})
}

impl Store {
    /// Runs `change` on the session as it stands, in a transaction it owns:
    /// committed when `change` succeeds, rolled back when it fails, the
    /// session marked as changing throughout (see `Tx`).
    pub(super) async fn change_session<T>(
        &self,
        id: &str,
        change: impl AsyncFnOnce(&mut Tx, SessionRecord) -> Result<T>,
    ) -> Result<T> {
        let mut tx = self.begin().await?;
        let session = load(&mut tx, id).await?;
        let done = change(&mut tx, session).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Any merchant's session, for the customer's pages.
    pub async fn session(&self, id: &str) -> Result<Option<SessionRecord>> {
        let read = || async {
            let query = format!("{SESSION_SELECT} WHERE s.id = $1");
            Ok::<_, StoreError>(sqlx::query_as(&query).bind(id).fetch_optional(self.reader()).await?)
        };
        let Some(cache) = &self.sessions else { return read().await };
        if let Some(kept) = cache.get(id) {
            return Ok(Some(kept));
        }
        let mark = cache.mark(id);
        let found = read().await?;
        if let Some(session) = &found {
            cache.keep(id, mark, session);
        }
        Ok(found)
    }

    /// A merchant's own session; another merchant's is simply not found.
    pub async fn merchant_session(&self, merchant_id: &str, id: &str) -> Result<Option<SessionRecord>> {
        Ok(self.session(id).await?.filter(|s| s.merchant_id == merchant_id))
    }

    /// Newest first, keyset-paginated on (created_at, id).
    pub async fn list_sessions(&self, merchant_id: &str, filter: &ListFilter) -> Result<Vec<SessionRecord>> {
        let mut sql = format!("{SESSION_SELECT} WHERE s.merchant_id = $1 AND s.livemode = $2");
        let mut n = 2;
        let mut next = || {
            n += 1;
            n
        };
        if filter.status.is_some() {
            sql += &format!(" AND s.status = ${}", next());
        }
        if filter.customer_email.is_some() {
            sql += &format!(" AND s.customer_email = ${}", next());
        }
        if filter.after.is_some() {
            let (t, i) = (next(), next());
            sql += &format!(" AND (s.created_at, s.id) < (${t}, ${i})");
        }
        sql += &format!(" ORDER BY s.created_at DESC, s.id DESC LIMIT ${}", next());
        let mut query = sqlx::query_as(&sql).bind(merchant_id).bind(i64::from(filter.livemode));
        if let Some(status) = filter.status {
            query = query.bind(status.as_str());
        }
        if let Some(email) = &filter.customer_email {
            query = query.bind(email);
        }
        if let Some((created_at, id)) = &filter.after {
            query = query.bind(*created_at).bind(id);
        }
        Ok(query.bind(filter.limit).fetch_all(self.reader()).await?)
    }

    /// Records the first time the customer opens the hosted page.
    pub async fn mark_opened(&self, id: &str, context: &CustomerContext) -> Result<()> {
        self.change_session(id, async |tx, session| {
            if session.launched_at.is_some() || apply(session.state(), Event::Open).is_err() {
                return Ok(());
            }
            let result = sqlx::query(
                "UPDATE checkout_sessions SET launched_at = $1, customer_ip = $2, customer_user_agent = $3,
                    customer_language = $4, customer_country = $5, customer_city = $6,
                    updated_at = CASE WHEN $1 > updated_at THEN $1 ELSE updated_at + 1 END
                 WHERE id = $7 AND status = 'open' AND launched_at IS NULL",
            )
            .bind(now_ms())
            .bind(&context.ip)
            .bind(&context.user_agent)
            .bind(&context.language)
            .bind(&context.location.country)
            .bind(&context.location.city)
            .bind(id)
            .execute(tx.conn())
            .await?;
            if result.rows_affected() == 1 {
                let data = json!({
                    "ip": context.ip, "user_agent": context.user_agent, "language": context.language,
                    "country": context.location.country, "city": context.location.city,
                });
                record_event(tx, &session.merchant_id, id, "checkout.session.opened", data).await?;
            }
            Ok(())
        })
        .await
    }

    /// Takes the authorised money of a manual-capture session.
    pub async fn capture_session(&self, id: &str) -> Result<SessionRecord> {
        self.change_session(id, async |tx, session| {
            let to = transition(tx, &session, Event::CapturePayment).await?;
            let result = sqlx::query(
                "UPDATE payments SET amount_captured = amount WHERE session_id = $1 AND amount_captured = 0",
            )
            .bind(id)
            .execute(tx.conn())
            .await?;
            expect_one(result)?;
            record_event(tx, &session.merchant_id, id, "payment.captured", state_data(to)).await?;
            load(tx, id).await
        })
        .await
    }

    /// Keeps the email the customer typed; a timeline step the first time.
    pub(crate) async fn record_details(tx: &mut Tx, session: &SessionRecord, email: &str) -> Result<()> {
        if session.payer_email.as_deref() == Some(email) && session.details_at.is_some() {
            return Ok(());
        }
        apply(session.state(), Event::GiveDetails)?;
        sqlx::query("UPDATE checkout_sessions SET payer_email = $1, details_at = $2 WHERE id = $3 AND status = 'open'")
            .bind(email)
            .bind(now_ms())
            .bind(&session.id)
            .execute(tx.conn())
            .await?;
        let data = json!({"customer_email": email});
        record_event(tx, &session.merchant_id, &session.id, "checkout.session.details_given", data).await
    }
}
