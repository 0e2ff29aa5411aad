CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.active AS SELECT id, name, active FROM users WHERE active WITH LOCAL CHECK OPTION;
