CREATE TABLE measurements (
    id integer PRIMARY KEY,
    value numeric(10,2)
);
INSERT INTO measurements VALUES (1, 12.5), (2, NULL);
