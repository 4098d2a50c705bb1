-- Sign-in throttle: one counter a key (`email:<address>`, `ip:<address>`)
-- and the start of its window, bumped in one statement before a password
-- is checked, so tries made in parallel each count the others'.
DROP TABLE sign_in_failures;
CREATE TABLE sign_in_throttle (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL
);
