//! A real Kassa on an ephemeral loopback port with its own SQLite file, and
//! the calls the tests make against it over HTTP.
#![allow(dead_code)]

pub mod browser;
pub mod process;
pub mod stripe;

use reqwest::{redirect::Policy, Client, Response, StatusCode};
use serde_json::{json, Value};
use server::{config::Config, store::Scope, AppState, Kassa};

pub struct TestApp {
    pub url: String,
    pub key: String,
    pub site_id: String,
    pub merchant_id: String,
    pub state: AppState,
    pub client: Client,
    pub dir: tempfile::TempDir,
}

pub struct Merchant {
    pub key: String,
    pub site_id: String,
    pub merchant_id: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::spawn_serving(adjust, axum::Router::new()).await
    }

    /// A Kassa serving `extra` routes beside its own, under the same layers.
    pub async fn spawn_serving(adjust: impl FnOnce(&mut Config), extra: axum::Router<AppState>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            public_url: None,
            data_dir: dir.path().to_path_buf(),
            database_url: None,
            site_root: "../target/site".into(),
            demo: false,
            sweep_ms: 100,
            sandbox_async_ms: 400,
            read_back_ms: 180_000,
            // KASSA_TEST_STRIPE (set by .ci/with-localstripe.sh): localstripe's address.
            stripe_api_base: stripe_stand_in(),
            stripe_js_url: format!("{}/js.stripe.com/v3/", stripe_stand_in()),
            geoip_db: None,
            trusted_proxies: Vec::new(),
            head_timeout_ms: 15_000,
            country_header: None,
            webhooks_allow_private: true,
            master_key: None,
            smtp_url: None,
            mail_from: "Kassa receipts <receipts@kassa.localhost>".into(),
            limits: Default::default(),
        };
        // KASSA_TEST_POSTGRES (set by .ci/with-postgres.sh): each test gets a
        // fresh database on that cluster instead of a SQLite file.
        if let Ok(admin) = std::env::var("KASSA_TEST_POSTGRES") {
            config.database_url = Some(fresh_postgres_database(&admin).await);
        }
        adjust(&mut config);
        let kassa = Kassa::start(config).await.expect("kassa starts");
        let url = format!("http://{}", kassa.addr);
        let state = kassa.state.clone();
        tokio::spawn(kassa.serve_with(extra));
        let client = Client::builder().redirect(Policy::none()).build().unwrap();
        let mut app =
            TestApp { url, key: String::new(), site_id: String::new(), merchant_id: String::new(), state, client, dir };
        let merchant = app.add_merchant("Test Shop", &Scope::ALL).await;
        app.key = merchant.key;
        app.site_id = merchant.site_id;
        app.merchant_id = merchant.merchant_id;
        app
    }

    pub async fn add_merchant(&self, name: &str, scopes: &[Scope]) -> Merchant {
        let store = &self.state.store;
        let merchant = store.create_merchant(name).await.unwrap();
        let site = store.create_site(&merchant.id, name).await.unwrap();
        let (_, key) = store.create_api_key(&merchant.id, scopes, false).await.unwrap();
        Merchant { key, site_id: site.id, merchant_id: merchant.id }
    }

    pub async fn key_with(&self, scopes: &[Scope]) -> String {
        self.state.store.create_api_key(&self.merchant_id, scopes, false).await.unwrap().1
    }

    /// An `sk_live_…` key: its sessions take the site's provider route.
    pub async fn live_key_with(&self, scopes: &[Scope]) -> String {
        self.state.store.create_api_key(&self.merchant_id, scopes, true).await.unwrap().1
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(format!("{}{path}", self.url)).bearer_auth(&self.key)
    }

    /// POSTs JSON with the merchant's key; the answer's JSON, whatever its status.
    pub async fn post_json(&self, path: &str, body: Value) -> Value {
        self.post(path).json(&body).send().await.unwrap().json().await.unwrap()
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(format!("{}{path}", self.url)).bearer_auth(&self.key)
    }

    pub async fn create(&self, body: Value) -> Response {
        self.post("/v1/checkout/sessions").json(&body).send().await.unwrap()
    }

    /// A session of 25.00 EUR, merged with `extra`.
    pub async fn session(&self, extra: Value) -> Value {
        let mut body = json!({"amount": 2500, "currency": "EUR", "success_url": "https://shop.example/thanks?s={CHECKOUT_SESSION_ID}"});
        if let (Some(base), Some(more)) = (body.as_object_mut(), extra.as_object()) {
            base.extend(more.clone());
        }
        let response = self.create(body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    pub async fn retrieve(&self, id: &str) -> Value {
        let response = self.get(&format!("/v1/checkout/sessions/{id}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    pub async fn status_api(&self, id: &str) -> Value {
        let response = self.get(&format!("/checkout/{}/session/{id}/status", self.site_id)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// Submits the hosted page's form, as a browser without JavaScript does.
    pub async fn pay(&self, id: &str, number: &str) -> Response {
        self.submit(
            "/fn/pay",
            &[
                ("session", id),
                ("email", "ada@example.com"),
                ("card_number", number),
                ("card_expiry", "12 / 34"),
                ("card_cvc", "123"),
            ],
        )
        .await
    }

    /// Posts a page's form to its server function (`/fn/pay`, or
    /// `/embed/fn/pay` from the widget's frame), as a browser without
    /// JavaScript does.
    pub async fn submit(&self, function: &str, form: &[(&str, &str)]) -> Response {
        self.client.post(format!("{}{function}", self.url)).form(form).send().await.unwrap()
    }

    /// The customer's answer on the challenge page at `challenge`
    /// (`/pay/{id}/challenge/{attempt}`, or the widget's).
    pub async fn answer(&self, challenge: &str, decision: &str) -> Response {
        let prefix = if challenge.starts_with("/embed/") { "/embed" } else { "" };
        let path: Vec<&str> = challenge.trim_start_matches("/embed").split('/').collect();
        let (session, attempt) = (path[2], path[4]);
        let form = [("session", session), ("attempt", attempt), ("decision", decision)];
        self.submit(&format!("{prefix}/fn/answer"), &form).await
    }

    /// The customer's cancel, on the hosted page (`""`) or in the widget (`"/embed"`).
    pub async fn cancel(&self, surface: &str, id: &str) -> Response {
        self.submit(&format!("{surface}/fn/cancel"), &[("session", id)]).await
    }

    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.client.get(format!("{}{path}", self.url)).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// The unguessable token of the session's receipt page (`/r/{token}`).
    pub async fn portal_token(&self, id: &str) -> String {
        sqlx::query_scalar("SELECT portal_token FROM checkout_sessions WHERE id = $1")
            .bind(id)
            .fetch_one(self.state.store.reader())
            .await
            .unwrap()
    }

    pub async fn scalar(&self, sql: &str, id: &str) -> i64 {
        sqlx::query_scalar(sql).bind(id).fetch_one(self.state.store.reader()).await.unwrap()
    }

    /// Everything Kassa wrote, as text: the database (SQLite's file and WAL,
    /// or every row of every PostgreSQL table), the key file, the outbox.
    pub async fn everything_stored(&self) -> String {
        let store = self.state.store.reader();
        let mut bytes = Vec::new();
        if std::env::var("KASSA_TEST_POSTGRES").is_ok() {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_all(store)
            .await
            .unwrap();
            for table in tables {
                let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT CAST(t AS TEXT) FROM {table} t"))
                    .fetch_all(store)
                    .await
                    .unwrap();
                rows.iter().for_each(|row| bytes.extend(row.as_bytes()));
            }
        } else {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(store).await.unwrap();
        }
        let mut dirs = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    bytes.extend(std::fs::read(path).unwrap());
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Puts the session's `expires_at` in the past, written behind the
    /// store's back but under its guards, as the store's own changes are.
    pub async fn make_due(&self, id: &str) {
        let changing = self.state.store.changing_session(id);
        sqlx::query("UPDATE checkout_sessions SET expires_at = 1 WHERE id = $1")
            .bind(id)
            .execute(self.state.store.reader())
            .await
            .unwrap();
        changing.finish();
    }

    /// Waits (bounded) until the session reaches `status`/`outcome`.
    pub async fn wait_for(&self, id: &str, status: &str, outcome: &str) -> Value {
        for _ in 0..100 {
            let session = self.retrieve(id).await;
            if session["status"] == status && session["outcome"] == outcome {
                return session;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{id} never reached {status}/{outcome}: {}", self.retrieve(id).await);
    }
}

/// A small GeoIP2-City-shaped database in which loopback is Amsterdam, NL;
/// its path under `dir`.
pub fn geoip_database(dir: &std::path::Path) -> std::path::PathBuf {
    use maxminddb_writer::{metadata::IpVersion, paths::IpAddrWithMask, Database};
    let mut database = Database::default();
    database.metadata.ip_version = IpVersion::V6;
    database.metadata.database_type = "Kassa-Test-City".into();
    database.metadata.binary_format_major_version = 2;
    database.metadata.languages = vec!["en".into()];
    let amsterdam =
        json!({"city": {"names": {"en": "Amsterdam"}}, "country": {"iso_code": "NL", "names": {"en": "Netherlands"}}});
    let amsterdam = database.insert_value(amsterdam).unwrap();
    // IPv4 addresses live at ::a.b.c.d in an IPv6 database.
    database.insert_node("::127.0.0.0/104".parse::<IpAddrWithMask>().unwrap(), amsterdam);
    let path = dir.join("test-city.mmdb");
    database.write_to(std::fs::File::create(&path).unwrap()).unwrap();
    path
}

/// A new, empty database on the test cluster; its URL.
pub async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("kassa_{}", server::ids::new_id("t").to_lowercase().replace('_', ""));
    let mut admin = sqlx::AnyConnection::connect(admin_url).await.expect("the test PostgreSQL answers");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(admin_url);
    format!("{base}/{name}")
}

pub fn location(response: &Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// Where the tests reach Stripe's stand-in (localstripe): KASSA_TEST_STRIPE,
/// or a closed port when none runs (the Stripe tests then say to start one).
pub fn stripe_stand_in() -> String {
    std::env::var("KASSA_TEST_STRIPE").unwrap_or_else(|_| "http://127.0.0.1:9".into())
}
