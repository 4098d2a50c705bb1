-- What a refused form leaves for the page it goes back to: the problems and
-- what the person typed (never a card number or CVC), under the key of what
-- the form was about (`pay:<session>`, `link:<slug>:<address>`,
-- `dashboard:<sign-in>`). Forms post to server functions that answer with
-- a redirect; the page then reads this, never the query string.
CREATE TABLE form_notices (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX form_notices_expiry ON form_notices (expires_at);
