CREATE TYPE priority AS ENUM ('low', 'normal', 'high');
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END;$$;
CREATE TABLE projects (
  id integer PRIMARY KEY,
  name text NOT NULL
);
CREATE TABLE tickets (
  id integer PRIMARY KEY,
  project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  priority priority NOT NULL DEFAULT 'normal',
  updated_at timestamptz
);
CREATE INDEX idx_tickets_priority ON tickets (priority, project_id);
CREATE TRIGGER trg_tickets_touch BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
