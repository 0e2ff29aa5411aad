CREATE TABLE public.orders (id integer PRIMARY KEY, customer integer NOT NULL, amount integer NOT NULL);
INSERT INTO public.orders SELECT g, g % 10, g FROM generate_series(1, 50) g;
CREATE MATERIALIZED VIEW public.customer_totals AS SELECT customer, sum(amount) AS total FROM orders GROUP BY customer;
CREATE UNIQUE INDEX customer_totals_customer ON public.customer_totals (customer);
ANALYZE public.customer_totals;
