CREATE TYPE addr AS (street text);
COMMENT ON TYPE addr IS 'an address';
