CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE documents (
  id integer PRIMARY KEY,
  content text NOT NULL,
  embedding vector(3)
);
