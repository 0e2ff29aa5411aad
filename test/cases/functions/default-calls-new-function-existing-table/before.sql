CREATE TABLE tickets (id integer PRIMARY KEY, code text NOT NULL);
