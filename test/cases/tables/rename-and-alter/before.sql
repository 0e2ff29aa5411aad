CREATE TABLE posts (id integer PRIMARY KEY, title text NOT NULL);
INSERT INTO posts VALUES (1, 'hello');
