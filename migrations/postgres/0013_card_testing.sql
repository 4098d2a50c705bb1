-- Card testing. A session counts its failed attempts and closes after the
-- configured number; the sign-in throttle's counters become the one table
-- every per-key limit counts in (`email:`, `ip:` for sign-in; `pay-ip:`,
-- `pay-card:` for failed payments; `link-ip:` for payment-link sessions).
ALTER TABLE checkout_sessions ADD COLUMN failed_attempts BIGINT NOT NULL DEFAULT 0;
UPDATE checkout_sessions SET failed_attempts = (
    SELECT COUNT(*) FROM payment_attempts a WHERE a.session_id = checkout_sessions.id AND a.status = 'failed'
);
ALTER TABLE sign_in_throttle RENAME TO throttle;

-- The email the payer typed at the checkout, kept beside the one the
-- merchant gave (`customer_email`), which it no longer overwrites.
ALTER TABLE checkout_sessions ADD COLUMN payer_email TEXT;
