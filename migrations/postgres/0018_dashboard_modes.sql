-- The dashboard shows one mode at a time (live, or test with its marker):
-- each login looks at one, a user's next sign-in starts where they last
-- switched (test data until then), the kept counts are per mode,
-- and the list's two busiest indexes lead with the mode, so a merchant's
-- few live sessions are not looked for among a million test ones.
ALTER TABLE dashboard_logins ADD COLUMN livemode BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dashboard_users ADD COLUMN livemode BIGINT NOT NULL DEFAULT 0;

DROP INDEX sessions_merchant_created;
CREATE INDEX sessions_merchant_created ON checkout_sessions(merchant_id, livemode, created_at DESC, id DESC);
DROP INDEX sessions_merchant_status;
CREATE INDEX sessions_merchant_status ON checkout_sessions(merchant_id, livemode, status, created_at DESC, id DESC);

DROP TRIGGER session_counts_inserted ON checkout_sessions;
DROP TRIGGER session_counts_changed ON checkout_sessions;
DROP TRIGGER session_counts_refunded ON payments;
DROP FUNCTION session_counts_inserted();
DROP FUNCTION session_counts_changed();
DROP FUNCTION session_counts_refunded();
DROP FUNCTION session_counts_add(TEXT, TEXT, TEXT, BIGINT);
DROP TABLE session_counts;

-- As in 0009: each change lands in one of 16 slots chosen at random, so
-- concurrent writers for one merchant do not queue on a single row.
CREATE TABLE session_counts (
    merchant_id TEXT NOT NULL,
    livemode BIGINT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    slot BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, livemode, status, outcome, slot)
);

INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
    SELECT merchant_id, livemode, status, outcome, 0, COUNT(*) FROM checkout_sessions
    GROUP BY merchant_id, livemode, status, outcome;
INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
    SELECT s.merchant_id, s.livemode, '', 'refunded', 0, COUNT(*)
    FROM payments p JOIN checkout_sessions s ON s.id = p.session_id
    WHERE p.amount_refunded > 0 GROUP BY s.merchant_id, s.livemode;

CREATE FUNCTION session_counts_add(m TEXT, l BIGINT, s TEXT, o TEXT, d BIGINT) RETURNS void AS $$
    INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
    VALUES (m, l, s, o, floor(random() * 16)::bigint, d)
    ON CONFLICT (merchant_id, livemode, status, outcome, slot) DO UPDATE SET n = session_counts.n + EXCLUDED.n;
$$ LANGUAGE sql;

-- New sessions are counted once per statement, so a bulk load adds one row
-- per group rather than running the trigger a million times.
CREATE FUNCTION session_counts_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
        SELECT merchant_id, livemode, status, outcome, floor(random() * 16)::bigint, COUNT(*)
        FROM new_rows GROUP BY merchant_id, livemode, status, outcome
        ON CONFLICT (merchant_id, livemode, status, outcome, slot) DO UPDATE SET n = session_counts.n + EXCLUDED.n;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER session_counts_inserted AFTER INSERT ON checkout_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_counts_inserted();

CREATE FUNCTION session_counts_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.outcome = NEW.outcome
            AND OLD.merchant_id = NEW.merchant_id AND OLD.livemode = NEW.livemode THEN
        RETURN NULL;
    END IF;
    PERFORM session_counts_add(OLD.merchant_id, OLD.livemode, OLD.status, OLD.outcome, -1);
    IF TG_OP = 'UPDATE' THEN
        PERFORM session_counts_add(NEW.merchant_id, NEW.livemode, NEW.status, NEW.outcome, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER session_counts_changed
    AFTER DELETE OR UPDATE OF status, outcome, merchant_id, livemode ON checkout_sessions
    FOR EACH ROW EXECUTE FUNCTION session_counts_changed();

CREATE FUNCTION session_counts_refunded() RETURNS trigger AS $$
BEGIN
    PERFORM session_counts_add(s.merchant_id, s.livemode, '', 'refunded', 1)
        FROM checkout_sessions s WHERE s.id = NEW.session_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER session_counts_refunded AFTER UPDATE OF amount_refunded ON payments
    FOR EACH ROW WHEN (OLD.amount_refunded = 0 AND NEW.amount_refunded > 0) EXECUTE FUNCTION session_counts_refunded();

-- Events carry their session's mode (`livemode` on every event and
-- webhook); a key lists and reads only its own mode's.
ALTER TABLE events ADD COLUMN livemode BIGINT NOT NULL DEFAULT 0;
UPDATE events SET livemode = 1
    WHERE session_id IN (SELECT id FROM checkout_sessions WHERE livemode = 1);
DROP INDEX events_merchant_created;
CREATE INDEX events_merchant_created ON events(merchant_id, livemode, created_at DESC, id DESC);
