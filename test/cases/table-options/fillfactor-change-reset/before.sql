CREATE TABLE events (id integer PRIMARY KEY, body text) WITH (fillfactor = 70, autovacuum_enabled = off, autovacuum_vacuum_scale_factor = 0.10);
