CREATE TABLE measurements (
    id integer PRIMARY KEY,
    value text
);
INSERT INTO measurements VALUES (1, '17'), (2, NULL);
