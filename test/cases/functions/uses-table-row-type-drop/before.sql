CREATE TABLE customers (id integer PRIMARY KEY, name text, active boolean DEFAULT true);
CREATE FUNCTION active_customers() RETURNS SETOF customers LANGUAGE sql STABLE AS $$SELECT * FROM customers WHERE active$$;
CREATE FUNCTION customer_label(c customers) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT c.name || ' #' || c.id$$;
