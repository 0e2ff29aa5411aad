CREATE TABLE events (id integer PRIMARY KEY, seen boolean NOT NULL DEFAULT false);
