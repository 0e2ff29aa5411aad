DO $$ BEGIN CREATE ROLE pgr_case_owner NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE SCHEMA shop;
CREATE TABLE shop.products (id integer PRIMARY KEY);
CREATE VIEW shop.cheap AS SELECT id FROM shop.products;
