CREATE PROCEDURE cleanup(days integer DEFAULT 30) LANGUAGE plpgsql AS $$BEGIN RAISE NOTICE 'cleanup %', days; END$$;
