CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.active_users AS SELECT id, name FROM users WHERE active;
CREATE VIEW public.active_names AS SELECT name FROM active_users;
