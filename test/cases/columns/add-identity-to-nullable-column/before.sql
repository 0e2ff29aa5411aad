CREATE TABLE events (id bigint, name text);
INSERT INTO events VALUES (1, 'a'), (2, 'b');
