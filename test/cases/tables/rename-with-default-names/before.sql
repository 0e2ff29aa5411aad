CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL UNIQUE,
    credit integer CHECK (credit >= 0)
);
INSERT INTO customers VALUES (1, 'ada@example.com', 10);
