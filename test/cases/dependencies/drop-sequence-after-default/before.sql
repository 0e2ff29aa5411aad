CREATE SEQUENCE order_number_seq START 1000;
CREATE TABLE orders (
  id integer PRIMARY KEY,
  number bigint NOT NULL DEFAULT nextval('order_number_seq')
);
