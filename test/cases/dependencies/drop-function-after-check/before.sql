CREATE FUNCTION is_valid_sku(s text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT s ~ '^[A-Z]{3}-[0-9]{4}$'$$;
CREATE TABLE products (
  id integer PRIMARY KEY,
  sku text NOT NULL,
  CONSTRAINT chk_products_sku CHECK (is_valid_sku(sku))
);
