CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TABLE bookings (id integer PRIMARY KEY, span floatrange, spans floatmultirange);
CREATE FUNCTION width(r floatrange) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT upper(r) - lower(r)';
