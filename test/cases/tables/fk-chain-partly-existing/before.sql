CREATE TABLE regions (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE countries (code char(2) PRIMARY KEY, region_id integer REFERENCES regions (id));
INSERT INTO regions VALUES (1, 'Europe');
INSERT INTO countries VALUES ('CH', 1);
