CREATE TABLE tags (id integer PRIMARY KEY, label text NOT NULL);
COMMENT ON TABLE tags IS 'labels';
