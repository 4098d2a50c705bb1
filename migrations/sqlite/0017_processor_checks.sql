-- When Kassa next asks a processor about an attempt: a 3-D Secure challenge
-- left open (read back, in case the customer passed it and its callback
-- never came), or a failed attempt whose release could not be done yet
-- (the processor unreachable, the site's route gone): tried again then,
-- not on every pass of the worker.
ALTER TABLE payment_attempts ADD COLUMN next_check_at BIGINT;
CREATE INDEX attempts_challenged ON payment_attempts(updated_at)
    WHERE status = 'requires_action' AND provider_ref IS NOT NULL;
