CREATE SCHEMA util;
CREATE FUNCTION util.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END;$$;
CREATE TABLE documents (
  id integer PRIMARY KEY,
  updated_at timestamptz
);
