-- Ordinary aggregates (aggkind 'n'; ordered-set and hypothetical-set ones are left unmanaged) in
-- user schemas, not those of an extension: their input types and their support functions by
-- schema and name.
SELECT n.nspname AS schema,
       p.proname AS name,
       (SELECT coalesce(json_agg(format_type(u.t, NULL) ORDER BY u.ord), '[]'::json)
        FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, ord)) AS arguments,
       sn.nspname AS sfunc_schema,
       sf.proname AS sfunc_name,
       format_type(a.aggtranstype, NULL) AS stype,
       fn.nspname AS finalfunc_schema,
       ff.proname AS finalfunc_name,
       a.aggfinalextra AS finalfunc_extra,
       cn.nspname AS combinefunc_schema,
       cf.proname AS combinefunc_name,
       a.agginitval AS initcond,
       p.proparallel AS parallel
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_proc sf ON sf.oid = a.aggtransfn
JOIN pg_namespace sn ON sn.oid = sf.pronamespace
LEFT JOIN pg_proc ff ON ff.oid = a.aggfinalfn
LEFT JOIN pg_namespace fn ON fn.oid = ff.pronamespace
LEFT JOIN pg_proc cf ON cf.oid = a.aggcombinefn
LEFT JOIN pg_namespace cn ON cn.oid = cf.pronamespace
WHERE a.aggkind = 'n'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'e')
