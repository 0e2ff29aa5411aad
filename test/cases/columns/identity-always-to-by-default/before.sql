CREATE TABLE tickets (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subject text);
INSERT INTO tickets (subject) VALUES ('printer on fire');
