-- Objects in the managed schemas that the desired-state format (version 1) does not declare, so
-- that `pull` names them instead of leaving them out silently, and the plan's summary counts
-- them (`plan --strict` fails on them). One row per object: its kind (a key of UNMANAGED in
-- ../unmanaged.ts), schema and name, and a detail where one helps. A kind that manages some of
-- these rows says so with its `covers` hook (src/kinds/kind.ts); ../unmanaged.ts drops them.
-- Objects owned by extensions, the system schemas and pgreconcile's own schema are skipped, as
-- introspection skips them.
WITH user_namespaces AS (
  SELECT n.oid, n.nspname
  FROM pg_catalog.pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
    AND n.nspname NOT LIKE 'pg\_toast%'
    AND n.nspname NOT LIKE 'pg\_temp\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                    WHERE x.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND x.objid = n.oid AND x.deptype = 'e')
),
user_relations AS (
  SELECT c.oid, c.relname, c.relkind, c.relispartition, c.relacl,
         c.reltablespace, c.relrowsecurity, n.nspname
  FROM pg_catalog.pg_class c
  JOIN user_namespaces n ON n.oid = c.relnamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                    WHERE x.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND x.objid = c.oid AND x.deptype = 'e')
)
SELECT 'foreign table' AS kind, r.nspname AS schema, r.relname AS name, NULL AS detail
FROM user_relations r WHERE r.relkind = 'f'
UNION ALL
SELECT 'partition', r.nspname, r.relname,
       'of ' || (SELECT p.inhparent::pg_catalog.regclass::text FROM pg_catalog.pg_inherits p WHERE p.inhrelid = r.oid LIMIT 1)
         || ' ' || pg_catalog.pg_get_expr(pc.relpartbound, pc.oid)
FROM user_relations r JOIN pg_catalog.pg_class pc ON pc.oid = r.oid
WHERE r.relispartition
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits p JOIN pg_catalog.pg_class parent ON parent.oid = p.inhparent
              WHERE p.inhrelid = r.oid AND parent.relnamespace <> pc.relnamespace)
-- A partition's own indexes, uniques, checks and foreign keys are managed (declared under the
-- partition); its own primary key and exclusion constraints are not.
UNION ALL
SELECT 'partition constraint', r.nspname, r.relname, con.conname
FROM pg_catalog.pg_constraint con JOIN user_relations r ON r.oid = con.conrelid
WHERE r.relispartition AND con.contype IN ('p', 'x') AND con.conparentid = 0 AND con.coninhcount = 0
UNION ALL
SELECT 'partition trigger', r.nspname, r.relname, tg.tgname
FROM pg_catalog.pg_trigger tg JOIN user_relations r ON r.oid = tg.tgrelid
WHERE r.relispartition AND NOT tg.tgisinternal AND tg.tgparentid = 0
UNION ALL
SELECT 'inheritance', r.nspname, r.relname,
       'inherits from ' || (SELECT pg_catalog.string_agg(p.inhparent::pg_catalog.regclass::text, ', ' ORDER BY p.inhseqno)
                            FROM pg_catalog.pg_inherits p WHERE p.inhrelid = r.oid)
FROM user_relations r
WHERE r.relkind IN ('r', 'p') AND NOT r.relispartition
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits p WHERE p.inhrelid = r.oid)
UNION ALL
SELECT 'table tablespace', r.nspname, r.relname, t.spcname
FROM user_relations r JOIN pg_catalog.pg_tablespace t ON t.oid = r.reltablespace
WHERE r.relkind IN ('r', 'p') AND r.reltablespace <> 0 AND NOT r.relispartition
UNION ALL
SELECT CASE WHEN r.relispartition THEN 'partition row level security' ELSE 'row level security' END, r.nspname, r.relname, NULL
FROM user_relations r WHERE r.relrowsecurity
UNION ALL
SELECT CASE WHEN r.relispartition THEN 'partition policy' ELSE 'policy' END, r.nspname, r.relname, pol.polname
FROM pg_catalog.pg_policy pol JOIN user_relations r ON r.oid = pol.polrelid
UNION ALL
SELECT 'rule', r.nspname, r.relname, rw.rulename
FROM pg_catalog.pg_rewrite rw JOIN user_relations r ON r.oid = rw.ev_class
WHERE rw.rulename <> '_RETURN'
UNION ALL
SELECT 'constraint', r.nspname, r.relname, con.conname || ' (contype ' || con.contype::text || ')'
FROM pg_catalog.pg_constraint con JOIN user_relations r ON r.oid = con.conrelid
WHERE con.contype NOT IN ('p', 'u', 'c', 'f', 'x', 't', 'n') AND NOT r.relispartition
UNION ALL
SELECT 'virtual generated column', r.nspname, r.relname, a.attname
FROM pg_catalog.pg_attribute a JOIN user_relations r ON r.oid = a.attrelid
WHERE a.attgenerated = 'v' AND a.attnum > 0 AND NOT a.attisdropped AND NOT r.relispartition
UNION ALL
SELECT 'statistics object', n.nspname, s.stxname, NULL
FROM pg_catalog.pg_statistic_ext s JOIN user_namespaces n ON n.oid = s.stxnamespace
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'b' THEN 'base type' END,
       n.nspname, t.typname, NULL
FROM pg_catalog.pg_type t
JOIN user_namespaces n ON n.oid = t.typnamespace
WHERE (t.typtype = 'd' OR (t.typtype = 'b' AND t.typcategory <> 'A'))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND x.objid = t.oid AND x.deptype = 'e')
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'w' THEN 'window function'
                      ELSE CASE (SELECT a.aggkind FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid)
                           WHEN 'n' THEN 'aggregate' ELSE 'ordered-set aggregate' END END,
       n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)
FROM pg_catalog.pg_proc p JOIN user_namespaces n ON n.oid = p.pronamespace
WHERE p.prokind IN ('p', 'a', 'w')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND x.objid = p.oid AND x.deptype = 'e')
UNION ALL
-- Comments the format cannot hold yet, on objects it manages: named, not dropped without a word.
SELECT 'aggregate comment', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)
FROM pg_catalog.pg_proc p JOIN user_namespaces n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE p.prokind = 'a'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND x.objid = p.oid AND x.deptype = 'e')
UNION ALL
SELECT 'domain check comment', n.nspname, t.typname, con.conname
FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_type t ON t.oid = con.contypid
JOIN user_namespaces n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objoid = con.oid AND d.objsubid = 0
WHERE con.contypid <> 0
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND x.objid = t.oid AND x.deptype = 'e')
UNION ALL
SELECT 'privileges', r.nspname, r.relname, NULL
FROM user_relations r WHERE r.relacl IS NOT NULL AND r.relkind IN ('r', 'p', 'S') AND NOT r.relispartition
UNION ALL
SELECT 'event trigger', NULL, e.evtname, e.evtevent
FROM pg_catalog.pg_event_trigger e
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND x.objid = e.oid AND x.deptype = 'e')
