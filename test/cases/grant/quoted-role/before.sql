DO $$ BEGIN CREATE ROLE "pgr case ""Quoted"".Role" NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE public.notes (id integer PRIMARY KEY);
DO $$ BEGIN CREATE ROLE "pgr ""case""; Reader" NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
