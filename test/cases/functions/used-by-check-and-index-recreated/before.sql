CREATE FUNCTION is_valid_sku(s text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT s ~ '^[A-Z]{3}-[0-9]{4}$'$$;
CREATE FUNCTION sku_prefix(s text) RETURNS text LANGUAGE sql IMMUTABLE RETURN left(s, 3);
CREATE TABLE products (
  id integer PRIMARY KEY,
  sku text NOT NULL,
  CONSTRAINT chk_products_sku CHECK (is_valid_sku(sku))
);
CREATE INDEX idx_products_prefix ON products (sku_prefix(sku));
