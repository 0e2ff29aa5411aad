CREATE TABLE public.users (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW public.level1 AS SELECT id, name FROM users;
CREATE VIEW public.level2 AS SELECT id, name FROM level1;
CREATE VIEW public.level3 AS SELECT name FROM level2;
