-- Owners and privileges of the objects in user schemas (not those of extensions): schemas,
-- tables, views, materialized views, sequences (not identity ones), plain functions and
-- procedures, enum, composite, range and domain types, columns with privileges of their own, and
-- default privileges given in a schema. `grants` is what roles other than the owner hold, from
-- the ACL or, when it is NULL, the default one (acldefault); PUBLIC is grantee 0.
WITH objects AS (
  SELECT 'schema' AS on_kind, n.nspname AS schema, n.nspname AS name, NULL::name AS sub, NULL::json AS signature,
         n.nspowner AS owner, coalesce(n.nspacl, acldefault('n', n.nspowner)) AS acl
  FROM pg_namespace n
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_namespace'::regclass AND x.objid = n.oid AND x.deptype = 'e')
  UNION ALL
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' ELSE 'table' END,
         n.nspname, c.relname, NULL, NULL, c.relowner,
         coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
    AND NOT c.relispartition
    AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype IN ('e', 'i'))
  UNION ALL
  SELECT 'column', n.nspname, c.relname, a.attname, NULL, c.relowner, a.attacl
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm')
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, n.nspname, p.proname, NULL,
         (SELECT coalesce(json_agg(format_type(u.t, NULL) ORDER BY u.ord), '[]'::json)
          FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, ord)),
         p.proowner, coalesce(p.proacl, acldefault('f', p.proowner))
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p')
    AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype IN ('e', 'i'))
  UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, n.nspname, t.typname, NULL, NULL,
         t.typowner, coalesce(t.typacl, acldefault('T', t.typowner))
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_class c ON c.oid = t.typrelid
  WHERE (t.typtype IN ('e', 'r', 'd') OR (t.typtype = 'c' AND c.relkind = 'c'))
    AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype IN ('e', 'i'))
  UNION ALL
  SELECT 'default', n.nspname, pg_get_userbyid(d.defaclrole),
         CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END,
         NULL, NULL, d.defaclacl
  FROM pg_default_acl d
  JOIN pg_namespace n ON n.oid = d.defaclnamespace
)
SELECT o.on_kind AS "on", o.schema, o.name, o.sub, o.signature,
       CASE WHEN o.owner IS NOT NULL THEN pg_get_userbyid(o.owner) END AS owner,
       (SELECT coalesce(json_agg(json_build_object(
                 'grantee', CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(e.grantee) END,
                 'privilege', lower(e.privilege_type),
                 'grantable', e.is_grantable)
               ORDER BY CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(e.grantee) END, lower(e.privilege_type)), '[]'::json)
        FROM aclexplode(o.acl) e
        WHERE o.owner IS NULL OR e.grantee <> o.owner) AS grants
FROM objects o
WHERE o.schema NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND o.schema NOT LIKE 'pg\_toast%'
  AND o.schema NOT LIKE 'pg\_temp\_%'
