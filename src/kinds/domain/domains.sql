-- Domains with their base type, default, NOT NULL, collation (when not the base type's) and
-- checks (the NOT NULL constraint of PostgreSQL 17 and later is typnotnull, not a check).
SELECT n.nspname AS schema,
       t.typname AS name,
       format_type(t.typbasetype, t.typtypmod) AS type,
       pg_get_expr(t.typdefaultbin, 0) AS "default",
       t.typnotnull AS not_null,
       (SELECT CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN co.collname ELSE cn.nspname || '.' || co.collname END
        FROM pg_collation co
        JOIN pg_namespace cn ON cn.oid = co.collnamespace
        JOIN pg_type b ON b.oid = t.typbasetype
        WHERE co.oid = t.typcollation AND t.typcollation <> 0 AND b.typcollation <> t.typcollation) AS collation,
       coalesce((SELECT json_agg(json_build_object('name', con.conname,
                                                   'expression', pg_get_expr(con.conbin, 0),
                                                   'validated', con.convalidated) ORDER BY con.conname)
                 FROM pg_constraint con
                 WHERE con.contypid = t.oid AND con.contype = 'c'), '[]'::json) AS checks,
       d.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE t.typtype = 'd'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
