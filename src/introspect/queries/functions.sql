-- Plain functions (prokind 'f'; no aggregates, window functions or procedures), not those of an
-- extension nor those PostgreSQL made for another object (a range type's constructors, deptype 'i').
-- arg_types covers every argument (proallargtypes when there are OUT/TABLE arguments,
-- else proargtypes); arguments_text is pg_get_function_arguments, used for defaults only.
SELECT p.oid AS oid,
       n.nspname AS schema,
       p.proname AS name,
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
WHERE p.prokind = 'f'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype IN ('e', 'i'))
