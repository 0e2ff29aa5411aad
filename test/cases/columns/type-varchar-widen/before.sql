CREATE TABLE measurements (
    id integer PRIMARY KEY,
    value varchar(50)
);
INSERT INTO measurements VALUES (1, 'short'), (2, NULL);
