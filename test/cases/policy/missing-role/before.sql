CREATE TABLE documents (id integer PRIMARY KEY, owner text NOT NULL, title text NOT NULL);
INSERT INTO documents VALUES (1, 'alice', 'a'), (2, 'bob', 'b');
