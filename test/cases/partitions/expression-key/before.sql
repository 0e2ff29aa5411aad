CREATE TABLE people (id int NOT NULL, name text NOT NULL) PARTITION BY LIST (lower(name));
CREATE TABLE people_a PARTITION OF people FOR VALUES IN ('alice', 'adam');
CREATE TABLE readings (at timestamptz NOT NULL, v int) PARTITION BY RANGE ((date_trunc($$day$$, at AT TIME ZONE $$UTC$$)), v);
CREATE TABLE readings_1 PARTITION OF readings FOR VALUES FROM ('2024-01-01', MINVALUE) TO ('2024-02-01', 0);
