CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.names WITH (security_barrier = true, security_invoker = true) AS SELECT name FROM users;
