CREATE TABLE public.orders (id integer PRIMARY KEY, amount integer NOT NULL, note text);
CREATE VIEW public.order_list AS SELECT id, note, amount FROM orders;
