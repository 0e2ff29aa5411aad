CREATE TYPE address AS (street text);
CREATE TABLE customers (id integer PRIMARY KEY, home address);
INSERT INTO customers VALUES (1, ROW('Main St 1'));
