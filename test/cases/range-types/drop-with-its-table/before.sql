CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TABLE bookings (id integer PRIMARY KEY, span floatrange, spans floatmultirange);
