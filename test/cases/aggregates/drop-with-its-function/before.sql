CREATE FUNCTION _longest(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT CASE WHEN length(b) > length(coalesce(a, '')) THEN b ELSE a END$$;
CREATE AGGREGATE longest(text) (SFUNC = _longest, STYPE = text);
