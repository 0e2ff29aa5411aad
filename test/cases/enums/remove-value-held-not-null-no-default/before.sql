CREATE TYPE color AS ENUM ('red', 'green', 'blue');
CREATE TABLE paints (id integer PRIMARY KEY, color color NOT NULL);
INSERT INTO paints VALUES (1, 'red'), (2, 'blue'), (3, 'blue');
