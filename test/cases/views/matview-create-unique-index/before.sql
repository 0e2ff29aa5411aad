CREATE TABLE public.orders (id integer PRIMARY KEY, customer integer NOT NULL, amount integer NOT NULL);
INSERT INTO public.orders SELECT g, g % 10, g FROM generate_series(1, 50) g;
