CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE TABLE public.old (id integer PRIMARY KEY);
CREATE VIEW public.old_ids AS SELECT id FROM old;
