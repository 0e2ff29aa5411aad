CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL);
CREATE VIEW public.user_list AS SELECT id, name FROM users;
