-- The merchant's dashboard: people who sign in, their signed-in sessions
-- (the cookie holds a random token; only its digest is kept), and failed
-- sign-ins, which slow down guessing.
CREATE TABLE dashboard_users (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE dashboard_logins (
    token_digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES dashboard_users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE sign_in_failures (
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures(email, created_at);

-- Dashboard search and filters.
CREATE INDEX sessions_merchant_order ON checkout_sessions(merchant_id, order_id, created_at DESC, id DESC);
CREATE INDEX sessions_merchant_source ON checkout_sessions(merchant_id, source, created_at DESC, id DESC);
