CREATE FUNCTION add_ints(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + b;
