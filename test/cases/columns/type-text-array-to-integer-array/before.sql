CREATE TABLE scores (
    id integer PRIMARY KEY,
    points text[] NOT NULL DEFAULT '{}'
);
INSERT INTO scores VALUES (1, '{1,2,3}'), (2, '{}');
