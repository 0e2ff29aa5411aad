CREATE TABLE items (id serial PRIMARY KEY, name text);
INSERT INTO items (name) VALUES ('a'), ('b');
