DO $$ BEGIN CREATE ROLE pgr_case_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE public.readings (id integer PRIMARY KEY, value integer);
CREATE VIEW public.latest AS SELECT id, value FROM public.readings;
GRANT SELECT ON public.latest TO pgr_case_reader;
