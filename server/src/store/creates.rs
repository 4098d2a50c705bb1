//! New sessions are written together: a create queues its session, and one
//! task writes whatever has queued in one transaction (three statements for
//! the lot), so under load the single SQLite writer does one commit for many
//! creates instead of one each. Nothing waits on a timer: a create that finds
//! the queue empty is written at once.

use super::{NewSession, Result, SessionRecord, Store, StoreError, Tx};
use futures::FutureExt;
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
