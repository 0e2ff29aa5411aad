CREATE SCHEMA legacy;
CREATE TYPE legacy.kind AS ENUM ('a', 'b');
CREATE FUNCTION legacy.answer() RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT 42$$;
CREATE TABLE legacy.things (
  id integer PRIMARY KEY,
  kind legacy.kind
);
