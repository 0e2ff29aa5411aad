CREATE EXTENSION citext;
CREATE TABLE t (id integer PRIMARY KEY, a citext, b citext[], c integer, d text);
