CREATE TABLE t (id integer PRIMARY KEY, a interval day to second(3), b interval year to month, c interval hour, d interval(2));
