CREATE TABLE departments (id integer PRIMARY KEY, name text NOT NULL, head_id integer);
INSERT INTO departments VALUES (1, 'Research', NULL);
