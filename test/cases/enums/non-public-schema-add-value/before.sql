CREATE SCHEMA app;
CREATE TYPE app.status AS ENUM ('pending', 'running');
CREATE TABLE app.jobs (
  id integer PRIMARY KEY,
  state app.status NOT NULL DEFAULT 'pending'
);
