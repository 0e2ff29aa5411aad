CREATE PROCEDURE log_it(msg text) LANGUAGE plpgsql AS $$BEGIN RAISE NOTICE '%', msg; END$$;
