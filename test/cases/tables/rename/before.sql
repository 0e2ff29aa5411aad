CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL);
CREATE INDEX idx_customers_email ON customers (email);
INSERT INTO customers VALUES (1, 'ada@example.com');
