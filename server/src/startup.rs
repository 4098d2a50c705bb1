//! Building the application and running it: the same code for `main`, the
//! tests and the demo.

use crate::{
    api,
    config::Config,
    dashboard, demo, pages,
    provider::{PaymentProvider, Sandbox},
    receipts::Mailer,
    secrets::Sealer,
    store::Store,
    webhooks, worker,
};
use axum::{
    handler::HandlerWithoutStateExt,
    http::{header, HeaderValue, StatusCode},
    middleware,
    routing::get,
    Router,
};
use leptos::prelude::LeptosOptions;
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tokio::net::TcpListener;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{
        predicate::{NotForContentType, Predicate},
        CompressionLayer, DefaultPredicate,
    },
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub provider: Arc<dyn PaymentProvider>,
    /// How customers reach this service, for hosted-page links.
    pub public_url: String,
    pub leptos: LeptosOptions,
    /// Seals and opens webhook signing secrets.
    pub sealer: Arc<Sealer>,
    /// Sends webhooks: a 10 s timeout, no redirects followed.
    pub http: reqwest::Client,
    pub webhooks_allow_private: bool,
    pub mailer: Arc<Mailer>,
    pub mail_from: lettre::message::Mailbox,
    /// The built CSS, JS and WASM under their hashed names.
    pub assets: Arc<crate::assets::Assets>,
    /// The proxies whose forwarding headers name the client.
    pub proxies: Arc<crate::client_ip::TrustedProxies>,
    /// Where customers open the checkout from.
    pub locator: Arc<crate::location::Locator>,
    /// `/widget.js` with every language's words (see `widget.rs`).
    pub widget: Option<axum::body::Bytes>,
    /// Card testing, link sessions, API budgets (`config::Limits`).
    pub limits: Arc<crate::config::Limits>,
    pub api_limiter: Arc<api::rate_limit::ApiLimiter>,
}

pub fn build_app(state: AppState) -> Router {
    build_app_with(state, Router::new())
}

/// The application with `extra` routes beside its own, under the same
/// layers (the tests add a route that panics).
pub fn build_app_with(state: AppState, extra: Router<AppState>) -> Router {
    let site = ServeDir::new(state.leptos.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .call_fallback_on_method_not_allowed(true);
    let (api, _) = api::router();
    let api = api.route_layer(middleware::from_fn_with_state(state.clone(), api::rate_limit::per_key));
    // Browsers learn to use HTTPS only when Kassa is reached over it.
    let hsts = state.public_url.starts_with("https://").then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        )
    });
    let mut routes = Router::new()
        .merge(api)
        .merge(pages::router(state.clone()))
        .merge(dashboard::router(state.clone()))
        .merge(extra)
        .route("/healthz", get(|| async { "ok" }));
    // Else the file is served as it is, in English.
    if state.widget.is_some() {
        routes = routes.route("/widget.js", get(crate::widget::serve));
    }
    routes
        .fallback_service(site.not_found_service(crate::failure::not_found.into_service()))
        // The streamed CSV export arrives empty through the compressor, so it
        // goes out as it is (see the notes on issue 3).
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(NotForContentType::new("text/csv"))))
        // A request's whole answer may not take longer (its head: `serve.rs`).
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(CatchPanicLayer::custom(crate::failure::on_panic))
        // Outside the panic catcher, so a panic's answer is worded too.
        .layer(middleware::from_fn_with_state(state.clone(), crate::failure::explain_failures))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, deny_framing))
        .layer(tower::util::option_layer(hsts))
        .layer(middleware::from_fn_with_state(state.assets.clone(), crate::assets::serve))
        .layer(middleware::from_fn(crate::error::with_trace_id))
        .with_state(state)
}

/// How long a request may take until its answer starts (a streamed export
/// then goes on as long as it needs).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// `X-Frame-Options: DENY` for browsers that predate CSP, except on the
/// pages whose policy lets the widget's listed origins frame them.
fn deny_framing<B>(response: &axum::http::Response<B>) -> Option<HeaderValue> {
    let policy = response.headers().get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok());
    let framable = policy.is_some_and(|p| p.contains("frame-ancestors") && !p.contains("frame-ancestors 'none'"));
    (!framable).then(|| HeaderValue::from_static("DENY"))
}

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
        let state = AppState {
            sealer: Arc::new(sealer),
            http,
            webhooks_allow_private: config.webhooks_allow_private,
            mailer: Arc::new(Mailer::new(config.smtp_url.as_ref().map(|u| u.0.as_str()), &config.data_dir)?),
            mail_from: config.mail_from.parse().map_err(|e| anyhow::anyhow!("KASSA_MAIL_FROM: {e}"))?,
            store: store.clone(),
            provider: Arc::new(Sandbox { async_after_ms: config.sandbox_async_ms }),
            public_url: config.public_url(addr),
            leptos,
            assets: Arc::new(assets),
            widget: crate::widget::load(&config.site_root),
            proxies: Arc::new(crate::client_ip::TrustedProxies::new(config.trusted_proxies.clone())),
            locator: Arc::new(crate::location::Locator::new(
                config.geoip_db.as_deref(),
                config.country_header.as_deref(),
            )?),
            api_limiter: Arc::new(api::rate_limit::ApiLimiter::new(&config.limits)),
            limits: Arc::new(config.limits.clone()),
        };
        let demo = if config.demo { demo::seed_if_empty(&store).await? } else { None };
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let every = Duration::from_millis(config.sweep_ms.max(50));
        let worker = tokio::spawn(worker::run(state.clone(), every, stopping));
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
        crate::serve::serve(self.listener, build_app(self.state), self.head_timeout, stop_signal()).await?;
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
