CREATE TYPE status AS ENUM ('pending', 'running', 'finished');
CREATE TABLE jobs (
  id integer PRIMARY KEY,
  state status NOT NULL DEFAULT 'pending'
);
CREATE FUNCTION is_done(s status) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT s = 'running'$$;
