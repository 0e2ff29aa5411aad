CREATE FUNCTION a_rate() RETURNS numeric LANGUAGE sql IMMUTABLE RETURN 0.2;
CREATE FUNCTION b_price(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN p * (1 + a_rate());
CREATE FUNCTION c_total(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN b_price(p) + 1;
