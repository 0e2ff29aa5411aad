DO $$ BEGIN CREATE ROLE pgr_case_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pgr_case_writer NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE public.accounts (id integer PRIMARY KEY, balance numeric);
GRANT SELECT, UPDATE ON public.accounts TO pgr_case_reader;
GRANT SELECT, INSERT ON public.accounts TO pgr_case_writer;
