use clap::Parser;

// Every request allocates many small buffers across threads (hyper, sqlx's
// row conversions, serde); glibc's malloc showed up at the top of profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = server::config::Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let kassa = server::Kassa::start(config).await?;
    kassa.serve_until_stopped().await
}
