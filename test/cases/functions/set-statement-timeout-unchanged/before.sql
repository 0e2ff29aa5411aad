CREATE FUNCTION slow_count() RETURNS bigint LANGUAGE sql STABLE SET statement_timeout TO '30s' AS $$SELECT 1::bigint$$;
