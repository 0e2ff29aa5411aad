-- Collations created in user schemas (not those of extensions). The ICU locale is colllocale
-- since PostgreSQL 17, colliculocale in 15 and 16, collcollate before; read through to_jsonb so
-- one text serves every version.
SELECT n.nspname AS schema,
       c.collname AS name,
       CASE c.collprovider WHEN 'i' THEN 'icu' ELSE 'libc' END AS provider,
       CASE WHEN c.collprovider = 'i'
            THEN coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale', c.collcollate)
            ELSE c.collcollate END AS lc_collate,
       CASE WHEN c.collprovider = 'i'
            THEN coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale', c.collctype)
            ELSE c.collctype END AS lc_ctype,
       c.collisdeterministic AS deterministic,
       d.description AS comment
FROM pg_collation c
JOIN pg_namespace n ON n.oid = c.collnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_collation'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.collprovider IN ('c', 'i')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_collation'::regclass AND x.objid = c.oid AND x.deptype = 'e')
