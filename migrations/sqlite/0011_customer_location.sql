-- Where the customer opened the checkout from (seed 001's "location"): an
-- ISO 3166-1 country code and, where the operator's GeoIP database knows
-- it, the city's English name.
ALTER TABLE checkout_sessions ADD COLUMN customer_country TEXT;
ALTER TABLE checkout_sessions ADD COLUMN customer_city TEXT;
