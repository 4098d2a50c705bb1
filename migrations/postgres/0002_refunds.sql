-- Refunds: all or part of a payment given back. The running total lives on
-- the payment (amount_refunded, checked against the amount); each refund is
-- also its own row for the timeline and the API.
CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants(id),
    session_id TEXT NOT NULL REFERENCES checkout_sessions(id),
    payment_id TEXT NOT NULL REFERENCES payments(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX refunds_session ON refunds(session_id, created_at);
