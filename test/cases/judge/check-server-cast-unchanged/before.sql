CREATE TABLE t (id integer PRIMARY KEY, n numeric, code varchar(10) DEFAULT 'a', CONSTRAINT t_n CHECK (n > 0));
