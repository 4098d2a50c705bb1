-- How a site's checkout looks: the name customers see (else the site's
-- name), a logo's https address and the pay button's accent (#rrggbb).
ALTER TABLE sites ADD COLUMN display_name TEXT;
ALTER TABLE sites ADD COLUMN logo_url TEXT;
ALTER TABLE sites ADD COLUMN accent_color TEXT;
