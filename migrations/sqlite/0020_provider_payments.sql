-- A payment's own ids at its processor, kept on the payment (the session
-- object and the dashboard show them): the PaymentIntent it was made with,
-- and the charge, looked up after the payment by the worker (off the
-- customer's path), no sooner than `charge_check_after` when a lookup failed.
ALTER TABLE payments ADD COLUMN provider_ref TEXT;
ALTER TABLE payments ADD COLUMN provider_charge TEXT;
ALTER TABLE payments ADD COLUMN charge_check_after BIGINT;
UPDATE payments SET provider_ref = (SELECT a.provider_ref FROM payment_attempts a WHERE a.id = payments.attempt_id);
CREATE INDEX payments_charge_unknown ON payments(created_at)
    WHERE provider_ref IS NOT NULL AND provider_charge IS NULL;
