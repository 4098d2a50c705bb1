-- Sessions per merchant and (status, outcome), kept by triggers in the
-- transaction of every change, so the dashboard's tab counts read a few
-- rows instead of counting every session. `status = ''` rows count paid
-- sessions with a refund (outcome 'refunded'). Each change lands in one of
-- 16 slots chosen at random, so concurrent writers for one merchant do not
-- queue on a single row; readers add the slots up.
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

CREATE FUNCTION session_counts_add(m TEXT, s TEXT, o TEXT, d BIGINT) RETURNS void AS $$
    INSERT INTO session_counts (merchant_id, status, outcome, slot, n) VALUES (m, s, o, floor(random() * 16)::bigint, d)
    ON CONFLICT (merchant_id, status, outcome, slot) DO UPDATE SET n = session_counts.n + EXCLUDED.n;
$$ LANGUAGE sql;

-- New sessions are counted once per statement, so a bulk load adds one row
-- per group rather than running the trigger a million times.
CREATE FUNCTION session_counts_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO session_counts (merchant_id, status, outcome, slot, n)
        SELECT merchant_id, status, outcome, floor(random() * 16)::bigint, COUNT(*)
        FROM new_rows GROUP BY merchant_id, status, outcome
        ON CONFLICT (merchant_id, status, outcome, slot) DO UPDATE SET n = session_counts.n + EXCLUDED.n;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER session_counts_inserted AFTER INSERT ON checkout_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_counts_inserted();

CREATE FUNCTION session_counts_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.outcome = NEW.outcome
            AND OLD.merchant_id = NEW.merchant_id THEN
        RETURN NULL;
    END IF;
    PERFORM session_counts_add(OLD.merchant_id, OLD.status, OLD.outcome, -1);
    IF TG_OP = 'UPDATE' THEN
        PERFORM session_counts_add(NEW.merchant_id, NEW.status, NEW.outcome, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER session_counts_changed AFTER DELETE OR UPDATE OF status, outcome, merchant_id ON checkout_sessions
    FOR EACH ROW EXECUTE FUNCTION session_counts_changed();

CREATE FUNCTION session_counts_refunded() RETURNS trigger AS $$
BEGIN
    PERFORM session_counts_add(s.merchant_id, '', 'refunded', 1) FROM checkout_sessions s WHERE s.id = NEW.session_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER session_counts_refunded AFTER UPDATE OF amount_refunded ON payments
    FOR EACH ROW WHEN (OLD.amount_refunded = 0 AND NEW.amount_refunded > 0) EXECUTE FUNCTION session_counts_refunded();
