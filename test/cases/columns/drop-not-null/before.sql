CREATE TABLE contacts (id integer PRIMARY KEY, email text NOT NULL);
INSERT INTO contacts VALUES (1, 'ada@example.com');
