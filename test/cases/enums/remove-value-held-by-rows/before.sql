CREATE TYPE status AS ENUM ('pending', 'running', 'finished', 'canceled');
CREATE TABLE jobs (
  id integer PRIMARY KEY,
  state status NOT NULL DEFAULT 'pending',
  previous status,
  history status[]
);
INSERT INTO jobs VALUES
  (1, 'pending', NULL, '{pending}'),
  (2, 'canceled', 'canceled', '{pending,canceled}'),
  (3, 'canceled', 'running', '{canceled,canceled}'),
  (4, 'finished', 'canceled', NULL);
