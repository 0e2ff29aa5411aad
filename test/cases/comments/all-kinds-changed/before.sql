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
COMMENT ON SCHEMA app IS 'old schema';
COMMENT ON TABLE app.notes IS 'old table';
COMMENT ON COLUMN app.notes.body IS 'old column';
COMMENT ON TYPE app.mood IS 'old enum';
COMMENT ON SEQUENCE app.ticket_seq IS 'old sequence';
COMMENT ON FUNCTION app.touch() IS 'old function';
COMMENT ON INDEX app.idx_notes_body IS 'old index';
COMMENT ON CONSTRAINT chk_notes_body ON app.notes IS 'old constraint';
COMMENT ON TRIGGER trg_notes_touch ON app.notes IS 'old trigger';
COMMENT ON CONSTRAINT notes_pkey ON app.notes IS 'old pk';
COMMENT ON CONSTRAINT notes_author_id_fkey ON app.notes IS 'old fk';
