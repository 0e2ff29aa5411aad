CREATE TABLE orders (id bigint NOT NULL, at date NOT NULL, customer_id integer, total numeric) PARTITION BY RANGE (at);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX orders_customer_idx ON orders (customer_id);
INSERT INTO orders VALUES (1, '2024-05-01', 7, 10), (2, '2025-05-01', 8, 20);
