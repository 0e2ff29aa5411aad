CREATE TABLE sessions (id integer PRIMARY KEY, data text);
INSERT INTO sessions VALUES (1, 'a');
