CREATE TABLE customers (id integer PRIMARY KEY);
CREATE TABLE orders (id bigint NOT NULL, at date NOT NULL, customer_id integer, total numeric) PARTITION BY RANGE (at);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX orders_customer_idx ON orders (customer_id);
