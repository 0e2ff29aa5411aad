CREATE TABLE documents (
  id integer PRIMARY KEY,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  updated_at timestamptz
);
