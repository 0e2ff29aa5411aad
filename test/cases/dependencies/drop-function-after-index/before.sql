CREATE FUNCTION normalize_title(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT lower(t)$$;
CREATE TABLE articles (
  id integer PRIMARY KEY,
  title text NOT NULL
);
CREATE INDEX idx_articles_title_norm ON articles (normalize_title(title));
