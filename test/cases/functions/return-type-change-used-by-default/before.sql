CREATE FUNCTION new_ticket_code() RETURNS text LANGUAGE sql AS $$SELECT 'T-' || substr(md5(random()::text), 1, 8)$$;
CREATE TABLE tickets (
  id integer PRIMARY KEY,
  code text NOT NULL DEFAULT new_ticket_code()
);
