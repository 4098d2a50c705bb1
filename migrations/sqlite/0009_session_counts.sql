-- Sessions per merchant and (status, outcome), kept by triggers in the
-- transaction of every change, so the dashboard's tab counts read a few
-- rows instead of counting every session. `status = ''` rows count paid
-- sessions with a refund (outcome 'refunded'). `slot` spreads one
-- merchant's counter over several rows on PostgreSQL, where concurrent
-- writers would queue on one row; SQLite has one writer and uses slot 0.
CREATE TABLE session_counts (
    merchant_id TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    slot BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, status, outcome, slot)
);

INSERT INTO session_counts (merchant_id, status, outcome, slot, n)
    SELECT merchant_id, status, outcome, 0, COUNT(*) FROM checkout_sessions GROUP BY merchant_id, status, outcome;
INSERT INTO session_counts (merchant_id, status, outcome, slot, n)
    SELECT s.merchant_id, '', 'refunded', 0, COUNT(*) FROM payments p JOIN checkout_sessions s ON s.id = p.session_id
    WHERE p.amount_refunded > 0 GROUP BY s.merchant_id;

CREATE TRIGGER session_counts_insert AFTER INSERT ON checkout_sessions BEGIN
    INSERT INTO session_counts (merchant_id, status, outcome, slot, n) VALUES (NEW.merchant_id, NEW.status, NEW.outcome, 0, 1)
        ON CONFLICT (merchant_id, status, outcome, slot) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER session_counts_update AFTER UPDATE OF status, outcome, merchant_id ON checkout_sessions
WHEN OLD.status <> NEW.status OR OLD.outcome <> NEW.outcome OR OLD.merchant_id <> NEW.merchant_id BEGIN
    INSERT INTO session_counts (merchant_id, status, outcome, slot, n) VALUES (OLD.merchant_id, OLD.status, OLD.outcome, 0, -1)
        ON CONFLICT (merchant_id, status, outcome, slot) DO UPDATE SET n = n - 1;
    INSERT INTO session_counts (merchant_id, status, outcome, slot, n) VALUES (NEW.merchant_id, NEW.status, NEW.outcome, 0, 1)
        ON CONFLICT (merchant_id, status, outcome, slot) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER session_counts_delete AFTER DELETE ON checkout_sessions BEGIN
    INSERT INTO session_counts (merchant_id, status, outcome, slot, n) VALUES (OLD.merchant_id, OLD.status, OLD.outcome, 0, -1)
        ON CONFLICT (merchant_id, status, outcome, slot) DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER session_counts_refunded AFTER UPDATE OF amount_refunded ON payments
WHEN OLD.amount_refunded = 0 AND NEW.amount_refunded > 0 BEGIN
    INSERT INTO session_counts (merchant_id, status, outcome, slot, n)
        SELECT merchant_id, '', 'refunded', 0, 1 FROM checkout_sessions WHERE id = NEW.session_id
        ON CONFLICT (merchant_id, status, outcome, slot) DO UPDATE SET n = n + 1;
END;
