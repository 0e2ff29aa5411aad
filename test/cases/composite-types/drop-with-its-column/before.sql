CREATE TYPE address AS (street text);
CREATE TABLE customers (id integer PRIMARY KEY, home address);
CREATE FUNCTION street_of(a address) RETURNS text LANGUAGE sql AS 'SELECT (a).street';
