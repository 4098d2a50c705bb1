//! The dashboard's list: tabs, search, filters and keyset pagination.
//! Which states a tab holds comes from `app::views`, never from here.

use super::sessions::{stored_state, SessionRecord, SESSION_SELECT};
use super::{Result, Store};
use app::lifecycle::{Outcome, SessionState};
use app::views::{tab, tab_states, Snapshot, Tab};

/// What the merchant typed in the search box.
#[derive(Clone, Debug, PartialEq)]
pub enum Search {
    SessionId(String),
    Email(String),
    /// The merchant's order id, or a WooCommerce order's.
    OrderId(String),
}

impl Search {
    pub fn parse(text: &str) -> Option<Search> {
        let text = text.trim();
        match () {
            _ if text.is_empty() => None,
            _ if text.starts_with("cs_") => Some(Search::SessionId(text.to_string())),
            _ if text.contains('@') => Some(Search::Email(text.to_string())),
            _ => Some(Search::OrderId(text.to_string())),
        }
    }
}

/// Which of a merchant's sessions the dashboard shows: always one mode,
/// narrowed by the merchant's search and filters.
#[derive(Clone, Debug, Default)]
pub struct DashboardFilter {
    /// Live sessions, or test ones: never both.
    pub livemode: bool,
    pub search: Option<Search>,
    pub source: Option<String>,
    /// Created at or after (ms).
    pub created_from: Option<i64>,
    /// Created before (ms).
    pub created_before: Option<i64>,
}

impl DashboardFilter {
    /// Whether the merchant narrowed the mode's sessions down.
    fn narrowed(&self) -> bool {
        self.search.is_some() || self.source.is_some() || self.created_from.is_some() || self.created_before.is_some()
    }
}

const REFUNDED: &str = "COALESCE(p.amount_refunded, 0) > 0";

fn tab_condition(wanted: Tab) -> String {
    let states: Vec<String> = tab_states(wanted)
        .into_iter()
        .map(|(state, refunded)| {
            let refund = if state.outcome == Outcome::Paid {
                format!(" AND {}{REFUNDED}", if refunded { "" } else { "NOT " })
            } else {
                String::new()
            };
            format!("(s.status = '{}' AND s.outcome = '{}'{refund})", state.status.as_str(), state.outcome.as_str())
        })
        .collect();
    format!("({})", states.join(" OR "))
}

/// The WHERE clause (after the merchant) and its bound values, in order.
fn filter_sql(filter: &DashboardFilter, first: usize) -> (String, Vec<String>, Vec<i64>) {
    let mut sql = String::new();
    let (mut texts, mut numbers) = (Vec::new(), Vec::new());
    let mut n = first;
    let mut next = || {
        n += 1;
        n
    };
    match &filter.search {
        Some(Search::SessionId(id)) => {
            sql += &format!(" AND s.id = ${}", next());
            texts.push(id.clone());
        }
        Some(Search::Email(email)) => {
            let (a, b) = (next(), next());
            sql += &format!(" AND (s.customer_email IN (${a}, ${b}) OR s.payer_email IN (${a}, ${b}))");
            texts.push(email.clone());
            texts.push(email.to_lowercase());
        }
        Some(Search::OrderId(order)) => {
            let n = next();
            sql += &format!(" AND (s.order_id = ${n} OR s.woo_order_id = ${n})");
            texts.push(order.clone());
        }
        None => {}
    }
    if let Some(source) = &filter.source {
        sql += &format!(" AND s.source = ${}", next());
        texts.push(source.clone());
    }
    // Numbers are bound after the texts; their placeholders continue the count.
    sql += &format!(" AND s.livemode = ${}", next());
    numbers.push(i64::from(filter.livemode));
    if let Some(from) = filter.created_from {
        sql += &format!(" AND s.created_at >= ${}", next());
        numbers.push(from);
    }
    if let Some(before) = filter.created_before {
        sql += &format!(" AND s.created_at < ${}", next());
        numbers.push(before);
    }
    (sql, texts, numbers)
}

impl Store {
    /// One page of a merchant's sessions in `wanted`, newest first, after the cursor.
    pub async fn dashboard_page(
        &self,
        merchant_id: &str,
        wanted: Tab,
        filter: &DashboardFilter,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<SessionRecord>> {
        let (conditions, texts, numbers) = filter_sql(filter, 1);
        let mut n = 1 + texts.len() + numbers.len();
        let mut sql = format!("{SESSION_SELECT} WHERE s.merchant_id = $1{conditions}");
        if wanted != Tab::All {
            sql += &format!(" AND {}", tab_condition(wanted));
        }
        if after.is_some() {
            // A row value, so the database walks the (created_at, id) index from the cursor.
            sql += &format!(" AND (s.created_at, s.id) < (${}, ${})", n + 1, n + 2);
            n += 2;
        }
        sql += &format!(" ORDER BY s.created_at DESC, s.id DESC LIMIT ${}", n + 1);
        let mut query = sqlx::query_as(&sql).bind(merchant_id);
        for text in texts {
            query = query.bind(text);
        }
        for number in numbers {
            query = query.bind(number);
        }
        if let Some((created_at, id)) = after {
            query = query.bind(created_at).bind(id);
        }
        Ok(query.bind(limit).fetch_all(self.reader()).await?)
    }

    /// How many sessions each tab holds under the same search and filters.
    /// States are counted from the (merchant, status, outcome) index; only
    /// paid sessions with a refund need the payments table.
    pub async fn tab_counts(&self, merchant_id: &str, filter: &DashboardFilter) -> Result<Vec<(Tab, i64)>> {
        let (conditions, texts, numbers) = filter_sql(filter, 1);
        let (groups, refunded_paid) = if !filter.narrowed() {
            self.kept_counts(merchant_id, filter.livemode).await?
        } else {
            let by_state = format!(
                "SELECT s.status, s.outcome, COUNT(*) FROM checkout_sessions s
                 WHERE s.merchant_id = $1{conditions} GROUP BY s.status, s.outcome"
            );
            let refunded = format!(
                "SELECT COUNT(*) FROM payments p JOIN checkout_sessions s ON s.id = p.session_id
                 WHERE p.amount_refunded > 0 AND s.merchant_id = $1{conditions}"
            );
            let mut groups = sqlx::query_as::<_, (String, String, i64)>(&by_state).bind(merchant_id);
            let mut refunds = sqlx::query_scalar::<_, i64>(&refunded).bind(merchant_id);
            for text in &texts {
                groups = groups.bind(text.clone());
                refunds = refunds.bind(text.clone());
            }
            for number in &numbers {
                groups = groups.bind(*number);
                refunds = refunds.bind(*number);
            }
            (groups.fetch_all(self.reader()).await?, refunds.fetch_one(self.reader()).await?)
        };
        let mut counts: Vec<(Tab, i64)> = Tab::ALL.iter().map(|t| (*t, 0)).collect();
        let mut add = |state: SessionState, refunded: bool, n: i64| {
            let snapshot =
                Snapshot { state, launched: true, attempt: None, amount_paid: 1, amount_refunded: i64::from(refunded) };
            for (t, count) in counts.iter_mut() {
                if *t == Tab::All || *t == tab(&snapshot) {
                    *count += n;
                }
            }
        };
        for (status, outcome, n) in groups {
            let state = stored_state(status, outcome)?;
            if state.outcome == Outcome::Paid {
                add(state, true, refunded_paid.min(n));
                add(state, false, n - refunded_paid.min(n));
            } else {
                add(state, false, n);
            }
        }
        Ok(counts)
    }

    /// The unfiltered counts, from the counters the database's triggers keep
    /// (migration 0009): the same groups as counting every session.
    async fn kept_counts(&self, merchant_id: &str, livemode: bool) -> Result<(Vec<(String, String, i64)>, i64)> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT status, outcome, CAST(SUM(n) AS BIGINT) FROM session_counts
             WHERE merchant_id = $1 AND livemode = $2 GROUP BY status, outcome",
        )
        .bind(merchant_id)
        .bind(i64::from(livemode))
        .fetch_all(self.reader())
        .await?;
        let refunded = rows.iter().filter(|(s, o, _)| s.is_empty() && o == "refunded").map(|r| r.2).sum();
        Ok((rows.into_iter().filter(|(s, _, n)| !s.is_empty() && *n > 0).collect(), refunded))
    }
}
