//! Starting Kassa: configuration in, a listening, migrated service with its
//! background work running out; then serving until told to stop. The same
//! code for `main`, the tests and the demo.

use crate::{
    api,
    config::Config,
    demo,
    mail::Mailer,
    provider::{stripe::StripeUrls, Providers, Sandbox},
    routes::build_app_with,
    secrets::Sealer,
    services::Services,
    state::AppState,
    store::Store,
    webhooks, worker,
};
use axum::Router;
use leptos::prelude::LeptosOptions;
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tokio::net::TcpListener;

/// A started Kassa: listening, migrated, background work running.
pub struct Kassa {
    pub addr: SocketAddr,
    pub state: AppState,
    pub demo: Option<demo::Demo>,
    listener: TcpListener,
    /// How long a connection may take to send a request's head (`serve.rs`).
    head_timeout: Duration,
    /// Tells the background worker to stop after the pass it is in, and its task.
    worker: (tokio::sync::watch::Sender<bool>, tokio::task::JoinHandle<()>),
}

impl Kassa {
    pub async fn start(config: Config) -> anyhow::Result<Kassa> {
        // Leptos renders through its own spawner; hand it tokio (once per process).
        let _ = any_spawner::Executor::init_tokio();
        let config = config.with_absolute_paths()?;
        std::fs::create_dir_all(&config.data_dir)?;
        let store =
            Store::connect(&config.database_url()).await?.allow_failed_attempts(config.limits.session_failed_attempts);
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let (assets, hash_file) = crate::assets::Assets::load(&config.site_root, "kassa", &config.data_dir)?;
        let leptos = LeptosOptions::builder()
            .output_name("kassa")
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(hash_file.is_some())
            .hash_file(std::sync::Arc::from(hash_file.unwrap_or_else(|| "hash.txt".into())))
            .build();
        let sealer = Sealer::load(config.master_key.as_ref().map(|k| k.0.as_str()), &config.data_dir)?;
        let mut http =
            reqwest::Client::builder().timeout(webhooks::TIMEOUT).redirect(reqwest::redirect::Policy::none());
        if !config.webhooks_allow_private {
            // Connects only to the public addresses it resolved and checked.
            http = http.dns_resolver(Arc::new(webhooks::PublicOnly));
        }
        let http = http.build()?;
        let services = Services {
            sealer: Arc::new(sealer),
            http,
            webhooks_allow_private: config.webhooks_allow_private,
            mailer: Arc::new(Mailer::new(config.smtp_url.as_ref().map(|u| u.0.as_str()), &config.data_dir)?),
            mail_from: config.mail_from.parse().map_err(|e| anyhow::anyhow!("KASSA_MAIL_FROM: {e}"))?,
            store: store.clone(),
            providers: Arc::new(Providers::new(
                Sandbox { async_after_ms: config.sandbox_async_ms },
                StripeUrls { api_base: config.stripe_api_base.clone(), js_url: config.stripe_js_url.clone() },
            )?),
            public_url: config.public_url(addr),
            limits: Arc::new(config.limits.clone()),
            read_back_ms: config.read_back_ms.max(1_000),
        };
        let state = AppState {
            leptos,
            assets: Arc::new(assets),
            widget: crate::widget::load(&config.site_root),
            proxies: Arc::new(crate::client_ip::TrustedProxies::new(config.trusted_proxies.clone())),
            locator: Arc::new(crate::location::Locator::new(
                config.geoip_db.as_deref(),
                config.country_header.as_deref(),
            )?),
            api_limiter: Arc::new(api::rate_limit::ApiLimiter::new(&config.limits)),
            services,
        };
        let demo = if config.demo { demo::seed_if_empty(&store).await? } else { None };
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let every = Duration::from_millis(config.sweep_ms.max(50));
        let worker = tokio::spawn(worker::run(state.services.clone(), every, stopping));
        let head_timeout = Duration::from_millis(config.head_timeout_ms.max(100));
        Ok(Kassa { addr, state, demo, listener, head_timeout, worker: (stop, worker) })
    }

    pub async fn serve(self) -> std::io::Result<()> {
        self.serve_with(Router::new()).await
    }

    /// Serves the application with `extra` routes (see [`build_app_with`]).
    pub async fn serve_with(self, extra: Router<AppState>) -> std::io::Result<()> {
        crate::serve::serve(self.listener, build_app_with(self.state, extra), self.head_timeout, std::future::pending())
            .await
    }

    /// Serves until Ctrl-C or SIGTERM: then takes no new connections, lets
    /// the requests in flight finish and the worker end its pass, and returns.
    pub async fn serve_until_stopped(self) -> anyhow::Result<()> {
        let url = self.state.public_url.clone();
        if let Some(demo) = &self.demo {
            println!("\nKassa demo data created (shown once; keep the key):");
            println!("  API key:     {}", demo.api_key);
            println!("  Live key:    {}  (real money, once a provider route is set)", demo.live_api_key);
            println!("  Site id:     {}", demo.site_id);
            println!("  Pay here:    {url}/pay/{}", demo.session_id);
            println!(
                "  Dashboard:   {url}/dashboard  (sign in as {} / {})",
                demo.dashboard_email, demo.dashboard_password
            );
            println!(
                "  Try:         curl -s {url}/v1/checkout/sessions -H 'Authorization: Bearer {}' \\",
                demo.api_key
            );
            println!("                 -H 'Content-Type: application/json' -d '{{\"amount\": 2500, \"currency\": \"EUR\"}}'\n");
        }
        println!("Kassa listening on {url}");
        crate::serve::serve(self.listener, crate::routes::build_app(self.state), self.head_timeout, stop_signal())
            .await?;
        let (stop, worker) = self.worker;
        let _ = stop.send(true);
        // Every change is one transaction, so a pass cut short loses nothing;
        // a slow webhook endpoint (10 s at most) bounds how long this waits.
        if tokio::time::timeout(Duration::from_secs(15), worker).await.is_err() {
            tracing::warn!("the background worker did not finish its pass in 15 s; stopping anyway");
        }
        println!("Kassa stopped");
        Ok(())
    }
}

/// Ctrl-C, or SIGTERM (what service managers and container runtimes send).
async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
