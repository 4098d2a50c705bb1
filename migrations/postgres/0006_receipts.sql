-- Receipts to customers: queued in the transaction that takes the money,
-- sent by the background sweep (SMTP, or an .eml file in the outbox). The
-- portal token is the unguessable part of the customer's receipt link.
ALTER TABLE checkout_sessions ADD COLUMN portal_token TEXT;
CREATE UNIQUE INDEX sessions_portal_token ON checkout_sessions(portal_token);

CREATE TABLE receipts (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    session_id TEXT NOT NULL REFERENCES checkout_sessions(id),
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    error TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX receipts_due ON receipts(next_attempt_at) WHERE status = 'pending';
CREATE INDEX receipts_session ON receipts(session_id, created_at);
