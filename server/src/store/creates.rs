//! New sessions are written together: a create queues its session, and one
//! task writes whatever has queued in one transaction (three statements for
//! the lot), so under load the single SQLite writer does one commit for many
//! creates instead of one each. Nothing waits on a timer: a create that finds
//! the queue empty is written at once.

use super::sessions::{record_event, NewSession, SessionRecord};
use super::{events, json_text, Result, Store, StoreError, Tx};
use crate::time::now_ms;
use app::lifecycle::{Outcome, Status};
use futures::FutureExt;
use serde_json::json;
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

/// At most this many sessions per transaction.
const BATCH: usize = 16;

type Reply = oneshot::Sender<Result<SessionRecord>>;

#[derive(Clone)]
pub(super) struct CreateQueue(mpsc::Sender<(NewSession, Reply)>);

impl CreateQueue {
    pub(super) fn start(write: AnyPool) -> CreateQueue {
        let (sender, receiver) = mpsc::channel(1024);
        tokio::spawn(run(write, receiver));
        CreateQueue(sender)
    }
}

async fn run(write: AnyPool, mut queue: mpsc::Receiver<(NewSession, Reply)>) {
    let mut batch = Vec::with_capacity(BATCH);
    while queue.recv_many(&mut batch, BATCH).await > 0 {
        let (news, replies): (Vec<NewSession>, Vec<Reply>) = std::mem::take(&mut batch).into_iter().unzip();
        // A panic in one batch drops its replies (those creates fail) and
        // leaves the task serving the next.
        let written = std::panic::AssertUnwindSafe(write_batch(&write, news, replies)).catch_unwind().await;
        if written.is_err() {
            tracing::error!("a batch of session creates panicked; its creates failed");
        }
    }
}

async fn write_batch(write: &AnyPool, news: Vec<NewSession>, replies: Vec<Reply>) {
    match write_all(write, &news).await {
        Ok(records) => {
            for (reply, record) in replies.into_iter().zip(records) {
                let _ = reply.send(Ok(record));
            }
        }
        // One bad row fails the statement: write each alone, so each
        // create gets its own answer.
        Err(_) if news.len() > 1 => {
            for (new, reply) in news.into_iter().zip(replies) {
                let one = write_all(write, std::slice::from_ref(&new)).await.map(|mut r| r.remove(0));
                let _ = reply.send(one);
            }
        }
        Err(e) => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(e));
            }
        }
    }
}

async fn write_all(write: &AnyPool, news: &[NewSession]) -> Result<Vec<SessionRecord>> {
    let mut tx = Tx::begin(write, None).await?;
    let records = Store::insert_sessions(&mut tx, news).await?;
    tx.commit().await?;
    Ok(records)
}

impl Store {
    /// Writes a new session (and its `created` event) with whatever other
    /// creates are waiting; answers once it is committed.
    pub async fn create_session(&self, new: NewSession) -> Result<SessionRecord> {
        let (reply, answer) = oneshot::channel();
        self.creates.0.send((new, reply)).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}

impl SessionRecord {
    /// The session `new` would be, not stored: what a payment link's card
    /// form shows before its first post makes the session.
    pub fn unsaved(new: &NewSession) -> SessionRecord {
        new_record(new)
    }
}

/// The record a new session is stored as.
fn new_record(new: &NewSession) -> SessionRecord {
    let now = now_ms();
    let woo = new.woocommerce.as_ref();
    SessionRecord {
        id: new.id.clone(),
        merchant_id: new.merchant_id.clone(),
        site_id: new.site_id.clone(),
        livemode: i64::from(new.livemode),
        source: new.source,
        sequence: new.sequence,
        capture: new.capture,
        amount: new.amount,
        currency: new.currency.clone(),
        line_items: json_text(&new.line_items),
        customer_email: new.customer_email.clone(),
        payer_email: None,
        order_id: new.order_id.clone(),
        metadata: json_text(&new.metadata),
        success_url: new.success_url.clone(),
        cancel_url: new.cancel_url.clone(),
        locale: new.locale.clone(),
        provider: new.provider.clone(),
        settlement_currency: new.currency.clone(),
        status: Status::Open,
        outcome: Outcome::NotStarted,
        failure_code: None,
        failure_message: None,
        failed_attempts: 0,
        payment_id: None,
        customer_ip: None,
        customer_user_agent: None,
        customer_language: None,
        customer_country: None,
        customer_city: None,
        launched_at: None,
        details_at: None,
        expires_at: new.expires_at,
        created_at: now,
        updated_at: now,
        woo_store_url: woo.map(|w| w.store_url.clone()),
        woo_order_id: woo.map(|w| w.order_id.clone()),
        woo_order_key: woo.map(|w| w.order_key.clone()),
        portal_token: Some(crate::ids::new_token()),
        payment_link_id: new.payment_link_id.clone(),
        customer: new.customer.clone(),
        save_payment_method: i64::from(new.save_payment_method),
        payment_method_id: new.payment_method_id.clone(),
        payment_ref: None,
        payment_charge: None,
        amount_captured: None,
        amount_refunded: None,
        attempt_status: None,
        attempt_id: None,
    }
}

impl Store {
    /// Writes a new session and its `checkout.session.created` event. The
    /// record is built here rather than read back: creating sessions is the
    /// hottest write, and every statement holds SQLite's one writer.
    pub async fn insert_session(tx: &mut Tx, new: &NewSession) -> Result<SessionRecord> {
        let mut records = Store::insert_sessions(tx, std::slice::from_ref(new)).await?;
        Ok(records.remove(0))
    }

    /// Several new sessions in one statement, and their `created` events in
    /// another: how queued creates are written together.
    pub async fn insert_sessions(tx: &mut Tx, news: &[NewSession]) -> Result<Vec<SessionRecord>> {
        let records: Vec<SessionRecord> = news.iter().map(new_record).collect();
        let sql = format!(
            "INSERT INTO checkout_sessions (id, merchant_id, site_id, livemode, source, sequence, capture, amount,
                currency, line_items, customer_email, order_id, metadata, success_url, cancel_url, locale, provider,
                settlement_currency, status, outcome, expires_at, created_at, updated_at, woo_store_url, woo_order_id,
                woo_order_key, portal_token, payment_link_id, customer, save_payment_method, payment_method_id)
                VALUES {}",
            super::placeholders(tx, records.len(), 31, "")
        );
        let mut query = sqlx::query(&sql);
        for record in &records {
            query = query
                .bind(&record.id)
                .bind(&record.merchant_id)
                .bind(&record.site_id)
                .bind(record.livemode)
                .bind(record.source.as_str())
                .bind(record.sequence.as_str())
                .bind(record.capture.as_str())
                .bind(record.amount)
                .bind(&record.currency)
                .bind(&record.line_items)
                .bind(&record.customer_email)
                .bind(&record.order_id)
                .bind(&record.metadata)
                .bind(&record.success_url)
                .bind(&record.cancel_url)
                .bind(&record.locale)
                .bind(&record.provider)
                .bind(&record.settlement_currency)
                .bind(record.status.as_str())
                .bind(record.outcome.as_str())
                .bind(record.expires_at)
                .bind(record.created_at)
                .bind(record.updated_at)
                .bind(&record.woo_store_url)
                .bind(&record.woo_order_id)
                .bind(&record.woo_order_key)
                .bind(&record.portal_token)
                .bind(&record.payment_link_id)
                .bind(&record.customer)
                .bind(record.save_payment_method)
                .bind(&record.payment_method_id);
        }
        query.execute(tx.conn()).await?;
        let created = records
            .iter()
            .map(|r| {
                let mut data = json!({"amount": r.amount, "currency": r.currency, "source": r.source});
                data["session"] = r.event_snapshot();
                events::NewEvent {
                    merchant_id: &r.merchant_id,
                    session_id: &r.id,
                    livemode: r.livemode,
                    kind: "checkout.session.created",
                    data,
                }
            })
            .collect();
        events::record_all(tx, created).await?;
        Ok(records)
    }

    /// A session replacing `old` (failed or abandoned), on `old`'s timeline too.
    pub async fn create_recovery(&self, old: &SessionRecord, new: &NewSession) -> Result<SessionRecord> {
        let mut tx = self.begin().await?;
        let created = Store::insert_session(&mut tx, new).await?;
        let data = json!({"recovery_session_id": created.id});
        record_event(&mut tx, &old.merchant_id, &old.id, "checkout.session.recovery_created", data).await?;
        tx.commit().await?;
        Ok(created)
    }
}
