CREATE TABLE measurements (
    id integer PRIMARY KEY,
    value timestamp
);
INSERT INTO measurements VALUES (1, '2024-05-01 12:00:00'), (2, NULL);
