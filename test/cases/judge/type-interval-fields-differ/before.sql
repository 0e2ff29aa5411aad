CREATE TABLE t (id integer PRIMARY KEY, a interval day to second(3), c interval hour);
