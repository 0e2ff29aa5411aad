-- Sequences with their options and owning column. Identity sequences are included (flagged
-- by owner_kind = 'i') because identity columns take their options from them.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start,
       s.seqincrement::text AS increment,
       s.seqmin::text AS min_value,
       s.seqmax::text AS max_value,
       s.seqcache::text AS cache,
       s.seqcycle AS cycle,
       o.deptype AS owner_kind,
       o.refobjid AS owner_table_oid,
       tn.nspname AS owner_schema,
       tc.relname AS owner_table,
       ta.attname AS owner_column,
       d.description AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend o
       ON o.classid = 'pg_class'::regclass AND o.objid = c.oid
      AND o.refclassid = 'pg_class'::regclass AND o.refobjsubid > 0
      AND o.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = o.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute ta ON ta.attrelid = o.refobjid AND ta.attnum = o.refobjsubid
LEFT JOIN pg_description d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
