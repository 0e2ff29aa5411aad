CREATE FUNCTION report() RETURNS integer LANGUAGE plpgsql SET search_path TO pg_catalog, public SET work_mem = '64MB' SET statement_timeout = '5min' AS $$BEGIN RETURN 1; END$$;
