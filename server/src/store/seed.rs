//! Sessions made in bulk, not through the API: what the dashboard's
//! benchmark measures its queries against (`bench-dashboard`).

use super::{Result, Store};

impl Store {
    /// `count` sessions of one site in one statement (SQLite): one in ten
    /// paid (with the email its payer typed), one in ten expired, one in five
    /// with a customer email.
    pub async fn seed_sessions(&self, merchant_id: &str, site_id: &str, count: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3)
         INSERT INTO checkout_sessions (id, merchant_id, site_id, livemode, source, sequence, capture, amount, currency,
            line_items, customer_email, payer_email, order_id, metadata, provider, settlement_currency, status, outcome, expires_at,
            created_at, updated_at)
         SELECT printf('cs_bench%09d', i), $1, $2, 0, 'api', 'one_time', 'automatic', 1000 + i % 5000, 'EUR', '[]',
            CASE WHEN i % 5 = 0 THEN printf('customer%d@example.com', i % 20000) END,
            CASE WHEN i % 10 = 0 THEN printf('payer%d@example.com', i % 30000) END, printf('order-%d', i), '{}',
            'sandbox', 'EUR',
            CASE WHEN i % 10 = 0 THEN 'complete' WHEN i % 10 = 1 THEN 'expired' ELSE 'open' END,
            CASE WHEN i % 10 = 0 THEN 'paid' ELSE 'not_started' END,
            1800000000000, 1700000000000 + i * 1000, 1700000000000 + i * 1000
         FROM n",
        )
        .bind(merchant_id)
        .bind(site_id)
        .bind(count)
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }
}
