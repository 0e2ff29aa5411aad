CREATE TABLE parents (id integer PRIMARY KEY, name text);
CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES parents (id)
);
INSERT INTO parents VALUES (1, 'p');
INSERT INTO children VALUES (10, 1);
