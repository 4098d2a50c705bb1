//! Three Kassa processes on one PostgreSQL database, as behind a load
//! balancer: sessions created and paid round-robin across them, some left
//! to expire, while a receiver counts webhooks. Every event arrives, each
//! exactly once while nothing fails; every expiry happens once; and after a
//! `kill -9` of one process mid-work the other two finish its work.
//!
//! PostgreSQL only (SQLite is one process's store): `make test` runs it
//! through `.ci/with-postgres.sh`.

mod common;

use common::process::{all_event_ids, free_port, receiver_with, start, Seen};
use futures::future::join_all;
use serde_json::{json, Value};
use std::{
    process::Child,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

const KINDS: [&str; 2] = ["checkout.session.completed", "checkout.session.expired"];

struct Cluster {
    bases: Vec<String>,
    children: Vec<Child>,
    key: String,
    client: reqwest::Client,
    db: sqlx::AnyPool,
}

impl Cluster {
    /// Creates `count` sessions round-robin, pays all but `expire` of them
    /// (round-robin too) and makes the rest due to expire; their ids.
    async fn round(&self, count: usize, expire: usize, first: usize) -> Vec<String> {
        let mut ids = Vec::new();
        for chunk in (0..count).collect::<Vec<_>>().chunks(10) {
            let creates = chunk.iter().map(|i| {
                let base = &self.bases[(first + i) % self.bases.len()];
                self.client
                    .post(format!("{base}/v1/checkout/sessions"))
                    .bearer_auth(&self.key)
                    .json(&json!({"amount": 1000 + first + i, "currency": "EUR"}))
                    .send()
            });
            for response in join_all(creates).await {
                let response = response.unwrap();
                assert_eq!(response.status(), 201);
                ids.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
            }
        }
        let (to_pay, to_expire) = ids.split_at(count - expire);
        for chunk in to_pay.chunks(10) {
            let pays = chunk.iter().enumerate().map(|(i, id)| {
                let base = &self.bases[(first + i + 1) % self.bases.len()];
                self.client
                    .post(format!("{base}/fn/pay"))
                    .form(&[
                        ("session", id.as_str()),
                        ("email", "many@example.com"),
                        ("card_number", "4242424242424242"),
                        ("card_expiry", "12/34"),
                        ("card_cvc", "123"),
                    ])
                    .send()
            });
            for response in join_all(pays).await {
                assert_eq!(response.unwrap().status(), 303);
            }
        }
        // Their time is up: any of the processes' sweeps may expire them.
        for id in to_expire {
            sqlx::query("UPDATE checkout_sessions SET expires_at = $1 WHERE id = $2")
                .bind(server::time::now_ms() - 1000)
                .bind(id)
                .execute(&self.db)
                .await
                .unwrap();
        }
        ids
    }

    /// The events about `sessions`, once there are `count` (the sweeps
    /// expire sessions a moment after their time is up).
    async fn events(&self, sessions: &[String], count: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut ids = Vec::new();
            for kind in KINDS {
                ids.extend(all_event_ids(&self.client, &self.bases[0], &self.key, kind, sessions).await);
            }
            if ids.len() >= count || Instant::now() > deadline {
                return ids;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn wait_for_all(seen: &Seen, expected: &[String], deadline: Duration) {
    let deadline = Instant::now() + deadline;
    loop {
        let missing = expected.iter().filter(|id| !seen.lock().unwrap().contains_key(*id)).count();
        if missing == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{missing} of {} events never arrived", expected.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_share_the_work_and_finish_a_killed_ones() {
    let Ok(admin) = std::env::var("KASSA_TEST_POSTGRES") else {
        eprintln!("skipped: several processes share PostgreSQL only (`make test` runs this on a throw-away cluster)");
        return;
    };
    sqlx::any::install_default_drivers();
    let database = common::fresh_postgres_database(&admin).await;
    let seen = Seen::default();
    let delay = Arc::new(AtomicU64::new(50));
    let hook_url = receiver_with(seen.clone(), delay.clone()).await;
    // Secrets come from the environment, the same for every process.
    let master_key = server::secrets::Sealer::generate_key();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut children = Vec::new();
    let mut bases = Vec::new();
    let mut key = None;
    for (n, dir) in dirs.iter().enumerate() {
        let port = free_port();
        let demo = if n == 0 { "true" } else { "false" };
        let env = [
            ("DATABASE_URL", database.as_str()),
            ("KASSA_MASTER_KEY", master_key.as_str()),
            ("KASSA_DATA_DIR", dir.path().to_str().unwrap()),
            ("KASSA_DEMO", demo),
            ("KASSA_DB_CONNECTIONS", "8"),
        ];
        let (child, printed) = start(port, &env);
        key = key.or(printed);
        children.push(child);
        bases.push(format!("http://127.0.0.1:{port}"));
    }
    let key = key.expect("the first process seeds the demo merchant and prints its key");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let db = sqlx::any::AnyPoolOptions::new().max_connections(2).connect(&database).await.unwrap();
    let mut cluster = Cluster { bases, children, key, client, db };
    let endpoint = cluster
        .client
        .post(format!("{}/v1/webhook_endpoints", cluster.bases[1]))
        .bearer_auth(&cluster.key)
        .json(&json!({"url": hook_url, "enabled_events": KINDS}))
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint.status(), 201);

    // Nothing fails: 250 sessions, 200 paid, 50 expired; each event once.
    let first = cluster.round(250, 50, 0).await;
    let first_events = cluster.events(&first, 250).await;
    assert_eq!(first_events.len(), 250, "200 completed and 50 expired");
    wait_for_all(&seen, &first_events, Duration::from_secs(60)).await;
    let twice = first_events.iter().filter(|id| seen.lock().unwrap()[*id] > 1).count();
    assert_eq!(twice, 0, "while nothing fails, every event arrives exactly once");

    // Another 250, to a slower receiver; one process is killed while all
    // three hold deliveries: one endpoint gets at most two of a process's
    // sending slots (webhooks/dispatch.rs), so 5 or more held means the one
    // killed holds some too.
    delay.store(300, Ordering::Relaxed);
    let second = cluster.round(250, 50, 250).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let held = loop {
        let now = server::time::now_ms();
        let held: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND lease_until > $1")
                .bind(now)
                .fetch_one(&cluster.db)
                .await
                .unwrap();
        if held >= 5 || Instant::now() > deadline {
            break held;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(held >= 5, "all three processes were delivering ({held} held)");
    let killed = &mut cluster.children[2];
    killed.kill().expect("kill -9");
    killed.wait().unwrap();
    let seen_at_kill: Vec<String> = seen.lock().unwrap().keys().cloned().collect();
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")
        .fetch_one(&cluster.db)
        .await
        .unwrap();
    assert!(pending > 0, "the kill came while deliveries were still to be made");
    let second_events = cluster.events(&second, 250).await;
    assert_eq!(second_events.len(), 250);
    let at_kill = second_events.iter().filter(|id| seen_at_kill.contains(id)).count();
    assert!(at_kill < 250, "the kill came mid-delivery ({at_kill} of 250 delivered)");
    // What the dead process had claimed is taken over when its lease ends.
    wait_for_all(&seen, &second_events, Duration::from_secs(90)).await;

    let counts = seen.lock().unwrap().clone();
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    // At most what the killed process had in flight (it claims 8 at a time).
    assert!(duplicates <= 8, "{duplicates} duplicates");
    let all: Vec<String> = first.iter().chain(&second).cloned().collect();
    let expiries: Vec<(String, i64)> = sqlx::query_as(
        "SELECT session_id, COUNT(*) FROM events WHERE type = 'checkout.session.expired' GROUP BY session_id",
    )
    .fetch_all(&cluster.db)
    .await
    .unwrap();
    assert_eq!(expiries.len(), 100, "every expiry done");
    assert!(expiries.iter().all(|(_, n)| *n == 1), "and done once");
    let paid: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments").fetch_one(&cluster.db).await.unwrap();
    assert_eq!(paid, 400, "one payment per paid session");
    let open: Vec<String> = sqlx::query_scalar("SELECT id FROM checkout_sessions WHERE status = 'open'")
        .fetch_all(&cluster.db)
        .await
        .unwrap();
    assert!(!open.iter().any(|id| all.contains(id)), "none left behind (only the demo session is open)");
    println!(
        "processes test: 3 processes, {} sessions (400 paid, 100 expired), events created {}, delivered {} unique, \
         duplicates {duplicates}, delivered in round two before the kill {at_kill}",
        all.len(),
        first_events.len() + second_events.len(),
        counts.len(),
    );
    for child in &mut cluster.children {
        let _ = child.kill();
        let _ = child.wait();
    }
}
