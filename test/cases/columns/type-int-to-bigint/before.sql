CREATE TABLE measurements (
    id integer PRIMARY KEY,
    value integer
);
INSERT INTO measurements VALUES (1, 42), (2, NULL);
