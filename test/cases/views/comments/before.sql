CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.names AS SELECT id, name FROM users;
COMMENT ON VIEW public.names IS 'old';
COMMENT ON COLUMN public.names.id IS 'the id';
