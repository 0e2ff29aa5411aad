CREATE TABLE orders (id integer PRIMARY KEY, code text NOT NULL, region text NOT NULL);
CREATE UNIQUE INDEX orders_code_key ON orders (code);
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_code_key;
