CREATE TABLE public.orders (id integer PRIMARY KEY, amount integer NOT NULL, note varchar(20));
CREATE VIEW public.big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE VIEW public.big_order_ids AS SELECT id FROM big_orders;
