CREATE TABLE customers (id integer PRIMARY KEY, name text);
INSERT INTO customers VALUES (7, 'a'), (8, 'b');
CREATE TABLE orders (id bigint NOT NULL, at date NOT NULL, customer_id integer) PARTITION BY RANGE (at);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO orders VALUES (1, '2024-05-01', 7), (2, '2025-05-01', 8);
