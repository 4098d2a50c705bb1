//! Real `kassa` processes for the tests that kill them, and a webhook
//! receiver that counts what it is sent.

use axum::{extract::State, http::HeaderMap, routing::post, Router};
use serde_json::Value;
use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

/// Each event id the receiver was sent, and how many times.
pub type Seen = Arc<Mutex<HashMap<String, usize>>>;

/// Starts a receiver on loopback that answers after `delay_ms`; its URL.
pub async fn receiver(seen: Seen, delay_ms: u64) -> String {
    receiver_with(seen, Arc::new(AtomicU64::new(delay_ms))).await
}

/// A receiver whose delay the test changes as it goes.
pub async fn receiver_with(seen: Seen, delay_ms: Arc<AtomicU64>) -> String {
    async fn receive(State((seen, delay)): State<(Seen, Arc<AtomicU64>)>, headers: HeaderMap) -> &'static str {
        tokio::time::sleep(Duration::from_millis(delay.load(Ordering::Relaxed))).await;
        let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        *seen.lock().unwrap().entry(id).or_default() += 1;
        "ok"
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let app = Router::new().route("/hooks", post(receive)).with_state((seen, delay_ms));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the real binary as end2end/starts.json's `process-tests` entry
/// says (the list of every way Kassa is started, each checked alike by
/// end2end/launches/), with `env` on top; `env` names the data directory.
/// Returns the process and the demo API key it printed (only on the first
/// start against an empty database).
pub fn start(port: u16, env: &[(&str, &str)]) -> (Child, Option<String>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let starts: Value = serde_json::from_str(include_str!("../../../end2end/starts.json")).unwrap();
    let entry = starts["starts"].as_array().unwrap().iter().find(|s| s["name"] == "process-tests").unwrap();
    let data = env.iter().find(|(name, _)| *name == "KASSA_DATA_DIR").expect("a data directory").1;
    let fill = |text: &str| {
        text.replace("{root}", root.to_str().unwrap())
            .replace("{data}", data)
            .replace("{addr}", &format!("127.0.0.1:{port}"))
    };
    // Cargo's own path to the binary it built for these tests.
    let mut command = Command::new(env!("CARGO_BIN_EXE_kassa"));
    command.current_dir(root.join(entry["cwd"].as_str().unwrap()));
    for (name, value) in entry["env"].as_object().unwrap() {
        command.env(name, fill(value.as_str().unwrap()));
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("the kassa binary starts");
    let mut key = None;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(k) = line.split_whitespace().find(|w| w.starts_with("sk_test_")) {
            key.get_or_insert(k.to_string());
        }
        if line.contains("Kassa listening") {
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    (child, key)
}

/// The ids of every event of `kind` about one of `sessions`.
pub async fn all_event_ids(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    kind: &str,
    sessions: &[String],
) -> Vec<String> {
    let events = list_all(client, base, key, &format!("/v1/events?type={kind}")).await;
    let ours = events.iter().filter(|e| sessions.iter().any(|s| e["session_id"] == s.as_str()));
    ours.map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

/// A GET of the API, its JSON answer.
pub async fn get_json(client: &reqwest::Client, url: &str, key: &str) -> Value {
    client.get(url).bearer_auth(key).send().await.unwrap().json().await.unwrap()
}

/// Every object of a list (`path` with its query), page after page.
pub async fn list_all(client: &reqwest::Client, base: &str, key: &str, path: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let page = get_json(client, &format!("{base}{path}&limit=100{after}"), key).await;
        let objects = page["data"].as_array().unwrap();
        all.extend(objects.iter().cloned());
        if page["has_more"] != true {
            return all;
        }
        after = format!("&starting_after={}", objects.last().unwrap()["id"].as_str().unwrap());
    }
}

/// A count straight from the database of a process started with `env`
/// (its SQLite file, or its PostgreSQL database), with `$1` bound to `bind`.
pub async fn count(env: &[(&str, &str)], sql: &str, bind: &str) -> i64 {
    use sqlx::any::AnyPoolOptions;
    sqlx::any::install_default_drivers();
    let url = match env.iter().find(|(k, _)| *k == "DATABASE_URL") {
        Some((_, url)) => url.to_string(),
        None => format!("sqlite://{}/kassa.db", env.iter().find(|(k, _)| *k == "KASSA_DATA_DIR").unwrap().1),
    };
    let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let query = sqlx::query_scalar(sql);
    let query = if sql.contains("$1") { query.bind(bind) } else { query };
    query.fetch_one(&pool).await.unwrap()
}
