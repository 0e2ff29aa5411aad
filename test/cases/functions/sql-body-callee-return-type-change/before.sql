CREATE FUNCTION tax_percent() RETURNS integer LANGUAGE sql IMMUTABLE RETURN 20;
CREATE FUNCTION price_with_tax(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN p * (100 + tax_percent()) / 100;
