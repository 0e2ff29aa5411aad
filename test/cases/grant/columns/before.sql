DO $$ BEGIN CREATE ROLE pgr_case_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pgr_case_writer NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE public.people (id integer PRIMARY KEY, name text, salary numeric);
GRANT SELECT (salary) ON public.people TO pgr_case_writer;
