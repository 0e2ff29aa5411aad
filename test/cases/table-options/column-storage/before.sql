CREATE TABLE docs (id integer PRIMARY KEY, body text, amount numeric, raw bytea);
ALTER TABLE docs ALTER COLUMN raw SET STORAGE external;
