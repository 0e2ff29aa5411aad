-- Columns with a compression method of their own (COMPRESSION pglz / lz4). Run on PostgreSQL 14
-- and later only: pg_attribute.attcompression does not exist before.
SELECT a.attrelid AS table_oid,
       a.attname AS name,
       a.attcompression::text AS compression
FROM pg_attribute a
WHERE a.attcompression <> '' AND a.attnum > 0 AND NOT a.attisdropped
