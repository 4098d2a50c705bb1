-- The dashboard finds a session by either email (the merchant's or the one
-- the payer typed): each needs its own index for the OR to be two lookups
-- rather than a scan. Partial, because most sessions have no payer email
-- until someone pays, and a NULL is never searched for.
CREATE INDEX sessions_merchant_payer_email ON checkout_sessions(merchant_id, payer_email, created_at DESC, id DESC)
    WHERE payer_email IS NOT NULL;
