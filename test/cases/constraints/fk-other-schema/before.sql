CREATE SCHEMA billing;
CREATE TABLE billing.customers (
  id integer PRIMARY KEY
);
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer
);
