CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('happy', 'sad');
CREATE SEQUENCE app.ticket_seq;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END;$$;
CREATE TABLE app.authors (
  id integer PRIMARY KEY
);
CREATE TABLE app.notes (
  id integer PRIMARY KEY,
  author_id integer REFERENCES app.authors (id),
  body text NOT NULL,
  CONSTRAINT chk_notes_body CHECK (body <> '')
);
CREATE INDEX idx_notes_body ON app.notes (body);
CREATE TRIGGER trg_notes_touch BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.touch();
COMMENT ON SEQUENCE app.ticket_seq IS 'the sequence';
