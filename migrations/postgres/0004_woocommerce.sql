-- Sessions from a WooCommerce store keep the order they pay for, so support
-- can trace an order back to WordPress.
ALTER TABLE checkout_sessions ADD COLUMN woo_store_url TEXT;
ALTER TABLE checkout_sessions ADD COLUMN woo_order_id TEXT;
ALTER TABLE checkout_sessions ADD COLUMN woo_order_key TEXT;
CREATE INDEX sessions_merchant_woo_order ON checkout_sessions(merchant_id, woo_order_id, created_at DESC, id DESC);

-- Tab counts read the state straight from an index, and refunded payments
-- from a small one.
CREATE INDEX sessions_merchant_state ON checkout_sessions(merchant_id, status, outcome);
CREATE INDEX payments_refunded ON payments(session_id) WHERE amount_refunded > 0;
