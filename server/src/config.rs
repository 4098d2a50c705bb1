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
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
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
    /// Let webhook endpoints point at loopback or private addresses (tests, private networks).
    #[arg(long, env = "KASSA_WEBHOOKS_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhooks_allow_private: bool,
    /// 32 bytes, base64: seals webhook secrets at rest. Default: `<data-dir>/master.key`, made on first start.
    #[arg(long, env = "KASSA_MASTER_KEY", hide_env_values = true)]
    pub master_key: Option<Redacted>,
    /// Send receipts through this SMTP server (e.g. `smtps://user:pass@mail.example:465`);
    /// without it they are written as .eml files to `<data-dir>/outbox`.
    #[arg(long, env = "KASSA_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Redacted>,
    /// The sender of receipts.
    #[arg(long, env = "KASSA_MAIL_FROM", default_value = "Kassa receipts <receipts@kassa.localhost>")]
    pub mail_from: String,
    /// Reverse proxies in front of Kassa (CIDRs or addresses, comma-separated):
    /// from these peers only, `Forwarded`/`X-Forwarded-For` names the client.
    #[arg(long, env = "KASSA_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::client_ip::parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A MaxMind-format database (GeoLite2/GeoIP2 City or Country) to tell
    /// where customers open the checkout from.
    #[arg(long, env = "KASSA_GEOIP_DB")]
    pub geoip_db: Option<PathBuf>,
    /// A header carrying the customer's country set by a proxy in front of
    /// Kassa (e.g. `CF-IPCountry`); name it only when every request comes
    /// through that proxy, since anyone else can send it too.
    #[arg(long, env = "KASSA_COUNTRY_HEADER")]
    pub country_header: Option<String>,
    /// How long a connection may take to send a request's head, and how long
    /// an idle keep-alive connection stays open, in milliseconds.
    #[arg(long, env = "KASSA_HEAD_TIMEOUT_MS", default_value_t = 15_000)]
    pub head_timeout_ms: u64,
    /// How long the sandbox's asynchronous test cards stay processing, in milliseconds.
    #[arg(long, env = "KASSA_SANDBOX_ASYNC_MS", default_value_t = 3000)]
    pub sandbox_async_ms: i64,
    /// Stripe's API, for sites whose live payments go through Stripe.
    #[arg(long, env = "KASSA_STRIPE_API_BASE", default_value = "https://api.stripe.com")]
    pub stripe_api_base: String,
    /// Stripe.js, loaded by the checkout pages of Stripe-routed sessions.
    #[arg(long, env = "KASSA_STRIPE_JS_URL", default_value = "https://js.stripe.com/v3/")]
    pub stripe_js_url: String,
    /// How long a processor's 3-D Secure challenge may stay open before
    /// Kassa reads the payment back from the processor, in milliseconds
    /// (its callback may never come), and between two such reads.
    #[arg(long, env = "KASSA_READ_BACK_MS", default_value_t = 180_000)]
    pub read_back_ms: i64,
    #[command(flatten)]
    pub limits: Limits,
}

/// The limits that keep the public pages and the API from being used
/// against anyone: card testing, floods of sessions, runaway clients.
#[derive(Clone, Debug, clap::Args)]
pub struct Limits {
    /// Failed payment attempts one session allows; after the last it closes
    /// (failed) and takes no more.
    #[arg(long, env = "KASSA_SESSION_FAILED_ATTEMPTS", default_value_t = Limits::DEFAULT.session_failed_attempts)]
    pub session_failed_attempts: i64,
    /// Failed payments one client address may make within the window, across sessions.
    #[arg(long, env = "KASSA_ADDRESS_FAILED_PAYMENTS", default_value_t = Limits::DEFAULT.address_failed_payments)]
    pub address_failed_payments: i64,
    /// Failed payments one card may make within the window, across sessions
    /// (counted under a keyed hash of its number, never the number).
    #[arg(long, env = "KASSA_CARD_FAILED_PAYMENTS", default_value_t = Limits::DEFAULT.card_failed_payments)]
    pub card_failed_payments: i64,
    /// The window of the two limits above, in minutes.
    #[arg(long, env = "KASSA_FAILED_PAYMENTS_WINDOW_MIN", default_value_t = Limits::DEFAULT.failed_payments_window_min)]
    pub failed_payments_window_min: i64,
    /// Checkout sessions one client address may start through payment links in an hour.
    #[arg(long, env = "KASSA_LINK_SESSIONS_PER_HOUR", default_value_t = Limits::DEFAULT.link_sessions_per_hour)]
    pub link_sessions_per_hour: i64,
    /// API requests a second one key may make, on average.
    #[arg(long, env = "KASSA_API_RATE", default_value_t = Limits::DEFAULT.api_rate)]
    pub api_rate: u32,
    /// API requests one key may make at once, before the rate applies.
    #[arg(long, env = "KASSA_API_BURST", default_value_t = Limits::DEFAULT.api_burst)]
    pub api_burst: u32,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        session_failed_attempts: 5,
        address_failed_payments: 10,
        card_failed_payments: 5,
        failed_payments_window_min: 60,
        link_sessions_per_hour: 30,
        api_rate: 100,
        api_burst: 200,
    };

    pub fn failed_payments_window_ms(&self) -> i64 {
        self.failed_payments_window_min.max(1) * 60_000
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Config {
    /// The data directory and the site root made absolute against the
    /// working directory, once at start. Leptos reads its hash file from a
    /// path it joins to the running binary's directory, so a relative data
    /// directory (`make run`'s `data`) would be looked for under `target/release`.
    pub fn with_absolute_paths(mut self) -> std::io::Result<Config> {
        self.data_dir = std::path::absolute(&self.data_dir)?;
        self.site_root = std::path::absolute(&self.site_root)?.to_string_lossy().into_owned();
        self.geoip_db = self.geoip_db.map(std::path::absolute).transpose()?;
        Ok(self)
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}/kassa.db?mode=rwc", self.data_dir.display()))
    }

    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{bound}")).trim_end_matches('/').to_string()
    }
}

/// A secret from the command line or environment that never prints.
#[derive(Clone)]
pub struct Redacted(pub String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::str::FromStr for Redacted {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Redacted(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn relative_paths_are_made_absolute_against_the_working_directory() {
        let config = Config::try_parse_from(["kassa", "--data-dir", "data", "--site-root", "target/site"]).unwrap();
        let config = config.with_absolute_paths().unwrap();
        let here = std::env::current_dir().unwrap();
        assert_eq!(config.data_dir, here.join("data"));
        assert_eq!(config.site_root, here.join("target/site").to_string_lossy());
        assert!(config.database_url().starts_with(&format!("sqlite://{}/data/kassa.db", here.display())));

        // In the same test: no other test of this binary reads the environment meanwhile.
        std::env::set_var("DATABASE_URL", "postgres://kassa:hunter2@db.internal/kassa");
        let help = <Config as clap::CommandFactory>::command().render_long_help().to_string();
        std::env::remove_var("DATABASE_URL");
        assert!(help.contains("DATABASE_URL") && !help.contains("hunter2"), "{help}");
    }
}
