CREATE TABLE flags (
    id integer PRIMARY KEY,
    enabled text DEFAULT 'false'
);
INSERT INTO flags VALUES (1, 'true'), (2, 'f'), (3, NULL), (4, 'yes');
