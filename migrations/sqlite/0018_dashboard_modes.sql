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

DROP TRIGGER session_counts_insert;
DROP TRIGGER session_counts_update;
DROP TRIGGER session_counts_delete;
DROP TRIGGER session_counts_refunded;
DROP TABLE session_counts;

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

CREATE TRIGGER session_counts_insert AFTER INSERT ON checkout_sessions BEGIN
    INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
        VALUES (NEW.merchant_id, NEW.livemode, NEW.status, NEW.outcome, 0, 1)
        ON CONFLICT (merchant_id, livemode, status, outcome, slot) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER session_counts_update AFTER UPDATE OF status, outcome, merchant_id, livemode ON checkout_sessions
WHEN OLD.status <> NEW.status OR OLD.outcome <> NEW.outcome OR OLD.merchant_id <> NEW.merchant_id
    OR OLD.livemode <> NEW.livemode BEGIN
    INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
        VALUES (OLD.merchant_id, OLD.livemode, OLD.status, OLD.outcome, 0, -1)
        ON CONFLICT (merchant_id, livemode, status, outcome, slot) DO UPDATE SET n = n - 1;
    INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
        VALUES (NEW.merchant_id, NEW.livemode, NEW.status, NEW.outcome, 0, 1)
        ON CONFLICT (merchant_id, livemode, status, outcome, slot) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER session_counts_delete AFTER DELETE ON checkout_sessions BEGIN
    INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
        VALUES (OLD.merchant_id, OLD.livemode, OLD.status, OLD.outcome, 0, -1)
        ON CONFLICT (merchant_id, livemode, status, outcome, slot) DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER session_counts_refunded AFTER UPDATE OF amount_refunded ON payments
WHEN OLD.amount_refunded = 0 AND NEW.amount_refunded > 0 BEGIN
    INSERT INTO session_counts (merchant_id, livemode, status, outcome, slot, n)
        SELECT merchant_id, livemode, '', 'refunded', 0, 1 FROM checkout_sessions WHERE id = NEW.session_id
        ON CONFLICT (merchant_id, livemode, status, outcome, slot) DO UPDATE SET n = n + 1;
END;

-- Events carry their session's mode (`livemode` on every event and
-- webhook); a key lists and reads only its own mode's.
ALTER TABLE events ADD COLUMN livemode BIGINT NOT NULL DEFAULT 0;
UPDATE events SET livemode = 1
    WHERE session_id IN (SELECT id FROM checkout_sessions WHERE livemode = 1);
DROP INDEX events_merchant_created;
CREATE INDEX events_merchant_created ON events(merchant_id, livemode, created_at DESC, id DESC);
