CREATE TABLE film (
  id integer PRIMARY KEY,
  release_year year,
  years year[],
  big "bıgınt"
);
CREATE FUNCTION span_length(s int_span) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT upper(s) - lower(s) $$;
