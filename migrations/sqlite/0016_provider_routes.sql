-- Live mode. A site's provider route: which processor takes its live
-- payments and the credentials for it (the secret key and the webhook
-- signing secret sealed like webhook secrets; the publishable key is
-- public by design, Stripe.js needs it in the customer's browser).
CREATE TABLE provider_routes (
    site_id TEXT PRIMARY KEY REFERENCES sites(id),
    provider TEXT NOT NULL,
    secret_key TEXT NOT NULL,
    secret_key_last4 TEXT NOT NULL,
    publishable_key TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The provider's own id for an attempt (a Stripe PaymentIntent) and for a
-- refund: what its callbacks name, and what the dashboard shows.
ALTER TABLE payment_attempts ADD COLUMN provider_ref TEXT;
CREATE UNIQUE INDEX attempts_provider_ref ON payment_attempts(provider, provider_ref)
    WHERE provider_ref IS NOT NULL;
-- A processor's payment Kassa stopped waiting for (its checkout closed, or
-- it was taken for declined) is let go at the processor (`released_at`);
-- if it went through anyway, its money is given back once (`late_refund_ref`).
ALTER TABLE payment_attempts ADD COLUMN released_at BIGINT;
ALTER TABLE payment_attempts ADD COLUMN late_refund_ref TEXT;
CREATE INDEX attempts_to_release ON payment_attempts(updated_at)
    WHERE status = 'failed' AND provider_ref IS NOT NULL AND released_at IS NULL;
ALTER TABLE refunds ADD COLUMN provider_ref TEXT;
-- A refund through a processor is `pending` (its amount held against the
-- payment, so no second refund can pass it) until the processor accepts it.
ALTER TABLE refunds ADD COLUMN status TEXT NOT NULL DEFAULT 'succeeded';
CREATE INDEX refunds_pending ON refunds(created_at) WHERE status = 'pending';

-- Each callback a provider sends is applied once, however often it comes.
CREATE TABLE provider_callbacks (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
