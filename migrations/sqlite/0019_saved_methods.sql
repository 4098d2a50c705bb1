-- Saved payment methods and series (seed 002). A `first_in_series` session
-- (or one made with `save_payment_method`) that succeeds keeps the
-- customer's card with its provider; `next_in_series` sessions charge it
-- again without the customer. Kassa keeps only what names the card to its
-- provider (`provider_data`: the sandbox's saved-card behaviour, Stripe's
-- customer and card ids) and what a person may see (brand, last four,
-- expiry): never the number.
CREATE TABLE payment_methods (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    livemode BIGINT NOT NULL,
    customer TEXT NOT NULL,
    site_id TEXT NOT NULL REFERENCES sites(id),
    provider TEXT NOT NULL,
    provider_data TEXT NOT NULL,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    exp_month BIGINT NOT NULL,
    exp_year BIGINT NOT NULL,
    session_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    detached_at BIGINT
);
CREATE INDEX payment_methods_customer ON payment_methods(merchant_id, livemode, customer, created_at);

-- The merchant's own name for the customer, whether the session saves its
-- card, and the saved method it saved or charges.
ALTER TABLE checkout_sessions ADD COLUMN customer TEXT;
ALTER TABLE checkout_sessions ADD COLUMN save_payment_method BIGINT NOT NULL DEFAULT 0;
ALTER TABLE checkout_sessions ADD COLUMN payment_method_id TEXT;
-- A `next_in_series` session not charged yet (its process died between
-- making it and charging it): the worker charges it.
CREATE INDEX sessions_series_waiting ON checkout_sessions(created_at)
    WHERE sequence = 'next_in_series' AND status = 'open' AND outcome = 'not_started';
-- What the provider would keep of the attempt's card, should it succeed.
ALTER TABLE payment_attempts ADD COLUMN saved_method TEXT;
