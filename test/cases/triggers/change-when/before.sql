CREATE TABLE documents (
  id integer PRIMARY KEY,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  updated_at timestamptz
);
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END;$$;
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN PERFORM pg_notify('changes', TG_OP); RETURN NULL; END;$$;
CREATE TRIGGER trg_documents_touch BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
