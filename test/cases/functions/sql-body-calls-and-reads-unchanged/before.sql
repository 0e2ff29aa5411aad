CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE orders (id integer PRIMARY KEY, total numeric NOT NULL, m mood);
CREATE FUNCTION tax_rate() RETURNS numeric LANGUAGE sql IMMUTABLE RETURN 0.2;
CREATE FUNCTION orders_total() RETURNS numeric LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(total) * (1 + tax_rate()) FROM orders WHERE m = 'ok'::mood; END;
