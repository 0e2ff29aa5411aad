CREATE SCHEMA staging;
CREATE TABLE staging.imports (id integer PRIMARY KEY, payload text);
INSERT INTO staging.imports VALUES (1, 'x');
