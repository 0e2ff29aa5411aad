-- Composite types made by CREATE TYPE ... AS (relkind 'c', not the row types of tables), with
-- their attributes in attnum order: a collation other than the attribute type's default, and the
-- comments (the type's on pg_type, an attribute's on pg_class with its attnum).
SELECT n.nspname AS schema,
       t.typname AS name,
       (SELECT coalesce(json_agg(json_build_object(
                 'name', a.attname,
                 'type', format_type(a.atttypid, a.atttypmod),
                 'collation', CASE WHEN a.attcollation <> 0 THEN
                                (SELECT CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN co.collname
                                             ELSE cn.nspname || '.' || co.collname END
                                 FROM pg_collation co
                                 JOIN pg_namespace cn ON cn.oid = co.collnamespace
                                 JOIN pg_type at ON at.oid = a.atttypid
                                 WHERE co.oid = a.attcollation AND at.typcollation <> a.attcollation)
                              END,
                 'comment', (SELECT cd.description FROM pg_description cd
                             WHERE cd.objoid = a.attrelid AND cd.classoid = 'pg_class'::regclass
                               AND cd.objsubid = a.attnum))
               ORDER BY a.attnum), '[]'::json)
        FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS attributes,
       d.description AS comment
FROM pg_type t
JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE t.typtype = 'c'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
