CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END;$$;
CREATE TABLE documents (
  id integer PRIMARY KEY,
  updated_at timestamptz
);
CREATE TRIGGER trg_documents_touch BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
