-- Row-level security policies of user tables: command, PERMISSIVE or RESTRICTIVE, roles (0 is
-- PUBLIC), the USING and WITH CHECK expressions as pg_get_expr prints them (as pg_policies does),
-- and what the expressions use as pg_depend records it: columns (of the table or of another),
-- relations and functions outside the system schemas.
SELECT pol.polrelid AS table_oid,
       pol.polname AS name,
       pol.polcmd AS command,
       pol.polpermissive AS permissive,
       (SELECT json_agg(CASE WHEN r.oid = 0 THEN 'public' ELSE a.rolname END)
        FROM unnest(pol.polroles) AS r(oid)
        LEFT JOIN pg_roles a ON a.oid = r.oid) AS roles,
       pg_get_expr(pol.polqual, pol.polrelid) AS using,
       pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check,
       (SELECT json_agg(u ORDER BY u.kind, u.schema, u.name, u.sub, u.signature::text)
        FROM (SELECT DISTINCT
                     CASE WHEN rc.relkind IN ('v', 'm') THEN 'view'
                          WHEN rc.relkind = 'S' THEN 'sequence'
                          WHEN x.refobjsubid <> 0 THEN 'column' ELSE 'table' END AS kind,
                     rn.nspname AS schema, rc.relname AS name,
                     CASE WHEN rc.relkind NOT IN ('v', 'm', 'S') AND x.refobjsubid <> 0 THEN att.attname END AS sub,
                     NULL::jsonb AS signature
              FROM pg_depend x
              JOIN pg_class rc ON rc.oid = x.refobjid
              JOIN pg_namespace rn ON rn.oid = rc.relnamespace
              LEFT JOIN pg_attribute att ON att.attrelid = rc.oid AND att.attnum = x.refobjsubid
              WHERE x.classid = 'pg_policy'::regclass AND x.objid = pol.oid AND x.deptype = 'n'
                AND x.refclassid = 'pg_class'::regclass
                AND rn.nspname NOT IN ('pg_catalog', 'information_schema')
              UNION
              SELECT 'function', rn.nspname, rp.proname, NULL,
                     (SELECT coalesce(jsonb_agg(format_type(a.t, NULL) ORDER BY a.ord), '[]'::jsonb)
                      FROM unnest(rp.proargtypes::oid[]) WITH ORDINALITY AS a(t, ord))
              FROM pg_depend x
              JOIN pg_proc rp ON rp.oid = x.refobjid
              JOIN pg_namespace rn ON rn.oid = rp.pronamespace
              WHERE x.classid = 'pg_policy'::regclass AND x.objid = pol.oid AND x.deptype = 'n'
                AND x.refclassid = 'pg_proc'::regclass
                AND rn.nspname NOT IN ('pg_catalog', 'information_schema')) u) AS uses,
       d.description AS comment
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_policy'::regclass AND d.objoid = pol.oid AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
