CREATE TABLE film (id integer PRIMARY KEY, release_year integer);
INSERT INTO film VALUES (1, 2006);
