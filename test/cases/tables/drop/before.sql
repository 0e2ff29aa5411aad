CREATE TABLE keep_me (id integer PRIMARY KEY);
CREATE TABLE legacy_notes (id integer, body text);
INSERT INTO legacy_notes VALUES (1, 'written before the rewrite');
