CREATE TABLE big (id integer PRIMARY KEY, body text);
