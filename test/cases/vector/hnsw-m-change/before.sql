CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE documents (
  id integer PRIMARY KEY,
  content text NOT NULL,
  embedding vector(3)
);
CREATE INDEX idx_documents_embedding ON documents USING hnsw (embedding vector_l2_ops) WITH (m = 16, ef_construction = 64);
