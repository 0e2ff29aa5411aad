DO $$ BEGIN CREATE ROLE pgr_case_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pgr_case_writer NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE SCHEMA app;
ALTER DEFAULT PRIVILEGES FOR ROLE pgr_case_writer IN SCHEMA app GRANT SELECT ON TABLES TO pgr_case_writer;
