-- The origins (scheme://host[:port]) allowed to frame a site's checkout with
-- the widget, as a JSON array. Empty: the checkout cannot be embedded.
ALTER TABLE sites ADD COLUMN allowed_origins TEXT NOT NULL DEFAULT '[]';
