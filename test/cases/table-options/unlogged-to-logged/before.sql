CREATE UNLOGGED TABLE sessions (id integer PRIMARY KEY, data text);
