CREATE TYPE addr AS (street text);
CREATE TABLE customers (id integer PRIMARY KEY, home addr);
