CREATE TABLE public.orders (id integer PRIMARY KEY, amount integer NOT NULL, note text);
CREATE VIEW public.noted AS SELECT id, amount FROM orders WHERE note IS NOT NULL;
