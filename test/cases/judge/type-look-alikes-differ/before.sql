CREATE TABLE t (id integer PRIMARY KEY, f numeric(10,0), d timestamp(3) with time zone, c timestamp without time zone, b varchar(20));
