CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer, CONSTRAINT t_abc CHECK (a > 0 OR (b > 0 AND c > 0)));
