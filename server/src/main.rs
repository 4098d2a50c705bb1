use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = server::config::Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let kassa = server::Kassa::start(config).await?;
    kassa.serve_until_ctrl_c().await
}
