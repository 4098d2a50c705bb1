use std::{net::SocketAddr, path::PathBuf};

/// Everything the server reads at start, from flags or the environment.
#[derive(Clone, Debug, clap::Parser)]
#[command(name = "kassa", about = "Kassa checkout-session service")]
pub struct Config {
    /// Where the service listens.
    #[arg(long, env = "KASSA_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The URL customers reach this service at (for hosted-page links).
    #[arg(long, env = "KASSA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Where the SQLite file and other local state live.
    #[arg(long, env = "KASSA_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// The database; defaults to `sqlite://<data-dir>/kassa.db`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// The built site (CSS, JS, WASM) cargo-leptos writes.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Create a demo merchant, site, API key and session on first start.
    #[arg(long, env = "KASSA_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo: bool,
    /// How often the background sweep looks for due work, in milliseconds.
    #[arg(long, env = "KASSA_SWEEP_MS", default_value_t = 500)]
    pub sweep_ms: u64,
    /// How long the sandbox's asynchronous test cards stay processing, in milliseconds.
    #[arg(long, env = "KASSA_SANDBOX_ASYNC_MS", default_value_t = 3000)]
    pub sandbox_async_ms: i64,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}/kassa.db?mode=rwc", self.data_dir.display()))
    }

    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{bound}")).trim_end_matches('/').to_string()
    }
}
