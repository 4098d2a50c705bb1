//! Dashboard query benchmark: seeds 1,000,000 sessions into a throw-away
//! SQLite database and prints the p50 (and p99) of the list queries the
//! dashboard runs. Not a test: it measures, it does not judge.
//!
//!     cargo run --release -p server --bin bench-dashboard [-- SESSIONS]

use server::store::{DashboardFilter, Search, Store};
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p) as usize]
}

async fn measure<F, Fut>(label: &str, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut rows = 0;
    let mut samples: Vec<Duration> = (0..RUNS).map(|_| Duration::ZERO).collect();
    for sample in samples.iter_mut() {
        let start = Instant::now();
        rows = run().await;
        *sample = start.elapsed();
    }
    let p50 = percentile(&mut samples, 0.5);
    let p99 = percentile(&mut samples, 0.99);
    println!("{label:<38} {:>9.3} ms {:>9.3} ms {rows:>6}", p50.as_secs_f64() * 1e3, p99.as_secs_f64() * 1e3);
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sessions: i64 = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let store = Store::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.path().display())).await?;
    let merchant = store.create_merchant("Bench").await?;
    let site = store.create_site(&merchant.id, "Bench").await?;
    let seeding = Instant::now();
    store.seed_sessions(&merchant.id, &site.id, sessions).await?;
    sqlx::query("ANALYZE").execute(store.reader()).await?;
    println!("seeded {sessions} sessions in {:.1} s\n", seeding.elapsed().as_secs_f64());

    let all = DashboardFilter::default();
    // The cursor of page 10,000 (25 rows a page), or as deep as the data goes.
    let deep_offset = (10_000 * 25).min(sessions - 26);
    let deep: (i64, String) = sqlx::query_as(
        "SELECT created_at, id FROM checkout_sessions ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $1",
    )
    .bind(deep_offset)
    .fetch_one(store.reader())
    .await?;
    let email = DashboardFilter { search: Search::parse("customer4240@example.com"), ..Default::default() };
    let tab = app::views::Tab::All;
    println!("{:<38} {:>12} {:>12} {:>6}", "query (SQLite, in process)", "p50", "p99", "rows");
    measure("first list page", || async {
        store.dashboard_page(&merchant.id, tab, &all, None, 26).await.unwrap().len()
    })
    .await;
    measure(&format!("deep list page (row {deep_offset})"), || async {
        store.dashboard_page(&merchant.id, tab, &all, Some(deep.clone()), 26).await.unwrap().len()
    })
    .await;
    measure("email search", || async {
        store.dashboard_page(&merchant.id, tab, &email, None, 26).await.unwrap().len()
    })
    .await;
    measure("first page of the Succeeded tab", || async {
        store.dashboard_page(&merchant.id, app::views::Tab::Succeeded, &all, None, 26).await.unwrap().len()
    })
    .await;
    let mut counts = Vec::new();
    let start = Instant::now();
    for _ in 0..5 {
        counts = store.tab_counts(&merchant.id, &all).await?;
    }
    println!(
        "{:<38} {:>9.3} ms (mean of 5) {:?}",
        "tab counts (all sessions)",
        start.elapsed().as_secs_f64() * 1e3 / 5.0,
        counts[0]
    );
    measure("tab counts of an email search", || async { store.tab_counts(&merchant.id, &email).await.unwrap().len() })
        .await;
    Ok(())
}
