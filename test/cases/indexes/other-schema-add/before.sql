CREATE SCHEMA app;
CREATE TABLE app.jobs (
  id bigint PRIMARY KEY,
  queue text NOT NULL,
  run_at timestamptz NOT NULL
);
