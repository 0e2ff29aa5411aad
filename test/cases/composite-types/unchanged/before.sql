CREATE TYPE address AS (street text COLLATE "C", zip integer);
COMMENT ON TYPE address IS 'an address';
COMMENT ON COLUMN address.zip IS 'postal code';
