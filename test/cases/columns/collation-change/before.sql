CREATE TABLE products (id integer PRIMARY KEY, code text NOT NULL);
INSERT INTO products VALUES (1, 'b-2'), (2, 'A-1');
