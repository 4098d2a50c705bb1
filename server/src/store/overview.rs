//! The dashboard overview's numbers: sessions and paid money per day, by
//! the tab each session falls under (read from `app::views`).

use super::sessions::stored_state;
use super::{Result, Store};
use app::views::{tab, Snapshot, Tab};

pub const DAY_MS: i64 = 86_400_000;

/// One day's sessions, grouped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayFigures {
    /// Days since the Unix epoch (UTC).
    pub day: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub open: i64,
    pub closed: i64,
    /// Money taken (captured, before refunds) per currency, in minor units.
    pub paid: Vec<(String, i64)>,
}

impl DayFigures {
    pub fn total(&self) -> i64 {
        self.succeeded + self.failed + self.open + self.closed
    }
}

impl Store {
    /// `days` days ending today (UTC), oldest first, one entry per day, of
    /// the merchant's live or test sessions.
    pub async fn overview(&self, merchant_id: &str, livemode: bool, today: i64, days: i64) -> Result<Vec<DayFigures>> {
        let first = today - days + 1;
        let rows: Vec<(i64, String, String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT s.created_at / 86400000 AS day, s.status, s.outcome,
                CAST(CASE WHEN COALESCE(p.amount_refunded, 0) > 0 THEN 1 ELSE 0 END AS BIGINT) AS refunded,
                s.currency, COUNT(*) AS n, CAST(COALESCE(SUM(p.amount_captured), 0) AS BIGINT) AS paid
             FROM checkout_sessions s LEFT JOIN payments p ON p.session_id = s.id
             WHERE s.merchant_id = $1 AND s.livemode = $2 AND s.created_at >= $3
             GROUP BY day, s.status, s.outcome, refunded, s.currency",
        )
        .bind(merchant_id)
        .bind(i64::from(livemode))
        .bind(first * DAY_MS)
        .fetch_all(self.reader())
        .await?;
        let mut figures: Vec<DayFigures> =
            (first..=today).map(|day| DayFigures { day, ..Default::default() }).collect();
        for (day, status, outcome, refunded, currency, n, paid) in rows {
            let Some(f) = figures.get_mut((day - first) as usize) else { continue };
            let state = stored_state(status, outcome)?;
            let snapshot = Snapshot { state, launched: true, attempt: None, amount_paid: 1, amount_refunded: refunded };
            match tab(&snapshot) {
                Tab::Succeeded | Tab::Refunded => f.succeeded += n,
                Tab::Failed => f.failed += n,
                Tab::Open | Tab::All => f.open += n,
                Tab::Expired | Tab::Cancelled => f.closed += n,
            }
            if paid > 0 {
                match f.paid.iter_mut().find(|(c, _)| *c == currency) {
                    Some((_, sum)) => *sum += paid,
                    None => f.paid.push((currency, paid)),
                }
            }
        }
        Ok(figures)
    }
}
