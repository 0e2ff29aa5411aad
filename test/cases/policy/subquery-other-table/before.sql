CREATE TABLE documents (id integer PRIMARY KEY, team integer NOT NULL);
INSERT INTO documents VALUES (1, 1), (2, 2);
