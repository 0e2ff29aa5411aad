CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.old_users AS SELECT id, name FROM users;
CREATE VIEW public.user_names AS SELECT name FROM old_users;
