CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END;$$;
CREATE TABLE "order" (
  id integer PRIMARY KEY
);
