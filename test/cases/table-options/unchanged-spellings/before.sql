CREATE TABLE events (id integer PRIMARY KEY, body text) WITH (fillfactor = 70, autovacuum_enabled = off, vacuum_index_cleanup = TRUE, autovacuum_vacuum_cost_delay = 2.50, toast.autovacuum_enabled = no);
ALTER TABLE events ALTER COLUMN body SET STORAGE extended;
