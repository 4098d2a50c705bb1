-- Payment links: a reusable URL; every visit makes a fresh session.
-- A fixed amount, or one the customer chooses between min and max.
CREATE TABLE payment_links (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    active BIGINT NOT NULL,
    currency TEXT NOT NULL,
    amount BIGINT,
    min_amount BIGINT,
    max_amount BIGINT,
    adjustable_quantity BIGINT NOT NULL,
    max_quantity BIGINT NOT NULL,
    metadata TEXT NOT NULL,
    success_url TEXT,
    visits BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX payment_links_merchant ON payment_links(merchant_id, created_at);

ALTER TABLE checkout_sessions ADD COLUMN payment_link_id TEXT;
CREATE INDEX sessions_payment_link ON checkout_sessions(payment_link_id);
