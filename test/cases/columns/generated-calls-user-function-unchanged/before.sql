CREATE FUNCTION cents(amount numeric) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$SELECT (amount * 100)::bigint$$;
CREATE TABLE prices (id integer PRIMARY KEY, amount numeric NOT NULL, amount_cents bigint GENERATED ALWAYS AS (cents(amount)) STORED);
INSERT INTO prices (id, amount) VALUES (1, 2.50);
