CREATE TABLE contacts (id integer PRIMARY KEY, email text);
INSERT INTO contacts VALUES (1, 'ada@example.com'), (2, 'grace@example.com');
