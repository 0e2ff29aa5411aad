CREATE TABLE old_events (id integer PRIMARY KEY, body text);
