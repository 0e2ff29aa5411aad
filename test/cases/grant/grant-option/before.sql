DO $$ BEGIN CREATE ROLE pgr_case_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pgr_case_writer NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE public.items (id integer PRIMARY KEY);
GRANT SELECT ON public.items TO pgr_case_writer WITH GRANT OPTION;
