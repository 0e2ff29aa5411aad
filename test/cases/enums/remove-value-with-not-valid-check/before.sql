CREATE TYPE status AS ENUM ('pending', 'running', 'finished');
CREATE TABLE jobs (
  id integer PRIMARY KEY,
  state status NOT NULL DEFAULT 'pending'
);
INSERT INTO jobs VALUES (1, 'pending'), (2, 'running');
ALTER TABLE jobs ADD CONSTRAINT chk_not_running CHECK (state <> 'running') NOT VALID;
