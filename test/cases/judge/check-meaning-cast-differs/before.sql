CREATE TABLE t (id integer PRIMARY KEY, n numeric, CONSTRAINT t_n CHECK (n > 0));
