CREATE TABLE settings (
    id integer PRIMARY KEY,
    active integer NOT NULL DEFAULT 1
);
INSERT INTO settings VALUES (1, 0), (2, 1), (3, 7);
