CREATE TABLE measurements (
    id integer PRIMARY KEY,
    value text DEFAULT '0'
);
INSERT INTO measurements VALUES (1, '42'), (2, NULL), (3, ' 17 ');
