CREATE SCHEMA sales;
CREATE TABLE sales.orders (id integer PRIMARY KEY, amount integer NOT NULL);
