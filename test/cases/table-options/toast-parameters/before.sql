CREATE TABLE docs (id integer PRIMARY KEY, body text);
CREATE TABLE counters (id integer PRIMARY KEY, n bigint);
