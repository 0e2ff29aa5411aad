CREATE TABLE tickets (id integer NOT NULL PRIMARY KEY, subject text);
INSERT INTO tickets VALUES (1, 'printer on fire');
