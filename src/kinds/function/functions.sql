-- Plain functions and procedures (prokind 'f' and 'p'; no aggregates or window functions), not those of an
-- extension nor those PostgreSQL made for another object (a range type's constructors, deptype 'i').
-- arg_types covers every argument (proallargtypes when there are OUT/TABLE arguments,
-- else proargtypes); arguments_text is pg_get_function_arguments, used for defaults only.
SELECT p.oid AS oid,
       n.nspname AS schema,
       p.proname AS name,
       p.prokind = 'p' AS procedure,
       (SELECT json_agg(format_type(u.t, NULL) ORDER BY u.ord)
        FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS u(t, ord)) AS arg_types,
       to_json(p.proargmodes) AS arg_modes,
       to_json(p.proargnames) AS arg_names,
       pg_get_function_arguments(p.oid) AS arguments_text,
       pg_get_function_result(p.oid) AS returns,
       l.lanname AS language,
       p.prosrc AS body,
       -- A SQL-standard body (RETURN …, BEGIN ATOMIC … END; prosrc is empty) as the server prints it.
       CASE WHEN p.prosrc = '' AND l.lanname = 'sql'
            THEN rtrim(substring(pg_get_functiondef(p.oid) FROM E'\n((?:RETURN |BEGIN ATOMIC).*)$'), E'\n') END AS sql_body,
       -- What a SQL-standard body uses, as pg_depend records it (a body in a string records nothing):
       -- functions (by input types), tables and their columns, types outside the system schemas.
       CASE WHEN p.prosrc = '' AND l.lanname = 'sql' THEN
         (SELECT json_agg(u ORDER BY u.kind, u.schema, u.name, u.sub, u.signature::text)
          FROM (SELECT 'function' AS kind, rn.nspname AS schema, rp.proname AS name, NULL::name AS sub,
                       (SELECT coalesce(json_agg(format_type(a.t, NULL) ORDER BY a.ord), '[]'::json)
                        FROM unnest(rp.proargtypes::oid[]) WITH ORDINALITY AS a(t, ord)) AS signature
                FROM pg_depend x
                JOIN pg_proc rp ON rp.oid = x.refobjid
                JOIN pg_namespace rn ON rn.oid = rp.pronamespace
                WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'n'
                  AND x.refclassid = 'pg_proc'::regclass AND x.refobjid <> p.oid
                  AND rn.nspname NOT IN ('pg_catalog', 'information_schema')
                UNION ALL
                SELECT CASE WHEN x.refobjsubid = 0 THEN 'table' ELSE 'column' END, rn.nspname, rc.relname, att.attname, NULL
                FROM pg_depend x
                JOIN pg_class rc ON rc.oid = x.refobjid
                JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                LEFT JOIN pg_attribute att ON x.refobjsubid > 0 AND att.attrelid = rc.oid AND att.attnum = x.refobjsubid
                WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'n'
                  AND x.refclassid = 'pg_class'::regclass
                  AND rn.nspname NOT IN ('pg_catalog', 'information_schema')
                UNION ALL
                SELECT 'type', rn.nspname, rt.typname, NULL, NULL
                FROM pg_depend x
                JOIN pg_type rt ON rt.oid = x.refobjid
                JOIN pg_namespace rn ON rn.oid = rt.typnamespace
                WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'n'
                  AND x.refclassid = 'pg_type'::regclass
                  AND rn.nspname NOT IN ('pg_catalog', 'information_schema')) u)
       END AS body_uses,
       p.provolatile AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       p.proleakproof AS leakproof,
       p.proparallel AS parallel,
       to_json(p.proconfig) AS config,
       d.description AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_description d
       ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE p.prokind IN ('f', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype IN ('e', 'i'))
