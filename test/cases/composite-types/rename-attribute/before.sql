CREATE TYPE address AS (street text, postcode integer);
COMMENT ON COLUMN address.postcode IS 'postal code';
