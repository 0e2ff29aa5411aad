CREATE FUNCTION refresh(n integer) RETURNS void LANGUAGE plpgsql AS $$BEGIN PERFORM n; END$$;
