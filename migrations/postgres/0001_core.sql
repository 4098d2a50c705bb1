-- Core checkout: merchants, sites, API keys, sessions, attempts, payments,
-- events and idempotency. Times are Unix milliseconds (UTC); money is an
-- integer in the currency's minor unit; JSON is stored as TEXT.

CREATE TABLE merchants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sites_merchant ON sites(merchant_id);

-- A key is shown once; only its SHA-256 digest is kept. `lookup` is the
-- public part used to find the row before the constant-time comparison.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    lookup TEXT NOT NULL UNIQUE,
    digest TEXT NOT NULL,
    livemode BIGINT NOT NULL,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE checkout_sessions (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    livemode BIGINT NOT NULL,
    source TEXT NOT NULL,
    sequence TEXT NOT NULL,
    capture TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL,
    line_items TEXT NOT NULL,
    customer_email TEXT,
    order_id TEXT,
    metadata TEXT NOT NULL,
    success_url TEXT,
    cancel_url TEXT,
    locale TEXT,
    provider TEXT NOT NULL,
    settlement_currency TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    failure_code TEXT,
    failure_message TEXT,
    payment_id TEXT,
    customer_ip TEXT,
    customer_user_agent TEXT,
    customer_language TEXT,
    launched_at BIGINT,
    details_at BIGINT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_merchant_created ON checkout_sessions(merchant_id, created_at DESC, id DESC);
CREATE INDEX sessions_merchant_status ON checkout_sessions(merchant_id, status, created_at DESC, id DESC);
CREATE INDEX sessions_merchant_email ON checkout_sessions(merchant_id, customer_email, created_at DESC, id DESC);
CREATE INDEX sessions_open_expiry ON checkout_sessions(expires_at) WHERE status = 'open';

CREATE TABLE payment_attempts (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES checkout_sessions(id),
    status TEXT NOT NULL,
    provider TEXT NOT NULL,
    method_brand TEXT NOT NULL,
    method_last4 TEXT NOT NULL,
    method_exp_month BIGINT NOT NULL,
    method_exp_year BIGINT NOT NULL,
    failure_code TEXT,
    failure_message TEXT,
    data TEXT NOT NULL,
    resolve_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX attempts_session ON payment_attempts(session_id, created_at);
-- At most one attempt in flight per session, whatever the callers do.
CREATE UNIQUE INDEX attempts_one_in_flight ON payment_attempts(session_id)
    WHERE status IN ('processing', 'requires_action', 'pending');
CREATE INDEX attempts_due ON payment_attempts(resolve_at) WHERE status = 'pending';

-- One payment per session: a second charge cannot be written.
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL UNIQUE REFERENCES checkout_sessions(id),
    attempt_id TEXT NOT NULL REFERENCES payment_attempts(id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    amount_captured BIGINT NOT NULL,
    amount_refunded BIGINT NOT NULL DEFAULT 0 CHECK (amount_refunded <= amount),
    created_at BIGINT NOT NULL
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    session_id TEXT,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_merchant_created ON events(merchant_id, created_at DESC, id DESC);
CREATE INDEX events_session ON events(session_id, created_at);

CREATE TABLE idempotency_keys (
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    key TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    status_code BIGINT,
    response_body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, key)
);
