CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE documents (
  id integer PRIMARY KEY,
  content text NOT NULL,
  embedding vector(3)
);
CREATE INDEX idx_documents_embedding ON documents USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
