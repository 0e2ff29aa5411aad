CREATE TYPE status AS ENUM ('pending', 'running', 'finished');
CREATE TABLE jobs (
  id integer PRIMARY KEY,
  state status NOT NULL DEFAULT 'pending'
);
