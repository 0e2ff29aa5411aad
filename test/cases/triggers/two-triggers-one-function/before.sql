CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END;$$;
CREATE TABLE a (id integer PRIMARY KEY, updated_at timestamptz);
CREATE TABLE b (id integer PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER trg_touch BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
