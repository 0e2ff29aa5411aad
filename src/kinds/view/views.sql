-- Views (relkind 'v') and materialized views ('m') in user schemas, not those of extensions:
-- the query as pg_get_viewdef prints it (pretty), the output columns with their types and
-- comments, the options (reloptions), and what the query uses as pg_depend records it for the
-- view's _RETURN rule: relations (by column where the query names one), functions (by input
-- types) and types outside the system schemas.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relkind = 'm' AS materialized,
       pg_get_viewdef(c.oid, true) AS query,
       c.relispopulated AS populated,
       c.reltuples::float8 AS rows,
       to_json(c.reloptions) AS options,
       (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                                          'comment', ad.description) ORDER BY a.attnum)
        FROM pg_attribute a
        LEFT JOIN pg_description ad ON ad.classoid = 'pg_class'::regclass AND ad.objoid = c.oid AND ad.objsubid = a.attnum
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       (SELECT json_agg(u ORDER BY u.kind, u.schema, u.name, u.sub, u.signature::text)
        FROM (SELECT DISTINCT
                     CASE WHEN rc.relkind IN ('v', 'm') THEN 'view'
                          WHEN rc.relkind = 'S' THEN 'sequence'
                          WHEN x.refobjsubid <> 0 THEN 'column' ELSE 'table' END AS kind,
                     rn.nspname AS schema, rc.relname AS name,
                     CASE WHEN rc.relkind NOT IN ('v', 'm', 'S') AND x.refobjsubid <> 0 THEN att.attname END AS sub,
                     NULL::jsonb AS signature
              FROM pg_rewrite r
              JOIN pg_depend x ON x.classid = 'pg_rewrite'::regclass AND x.objid = r.oid AND x.deptype = 'n'
                              AND x.refclassid = 'pg_class'::regclass AND x.refobjid <> c.oid
              JOIN pg_class rc ON rc.oid = x.refobjid
              JOIN pg_namespace rn ON rn.oid = rc.relnamespace
              LEFT JOIN pg_attribute att ON att.attrelid = rc.oid AND att.attnum = x.refobjsubid
              WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'
                AND rn.nspname NOT IN ('pg_catalog', 'information_schema')
              UNION
              SELECT 'function', rn.nspname, rp.proname, NULL,
                     (SELECT coalesce(jsonb_agg(format_type(a.t, NULL) ORDER BY a.ord), '[]'::jsonb)
                      FROM unnest(rp.proargtypes::oid[]) WITH ORDINALITY AS a(t, ord))
              FROM pg_rewrite r
              JOIN pg_depend x ON x.classid = 'pg_rewrite'::regclass AND x.objid = r.oid AND x.deptype = 'n'
                              AND x.refclassid = 'pg_proc'::regclass
              JOIN pg_proc rp ON rp.oid = x.refobjid
              JOIN pg_namespace rn ON rn.oid = rp.pronamespace
              WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'
                AND rn.nspname NOT IN ('pg_catalog', 'information_schema')
              UNION
              SELECT 'type', rn.nspname, rt.typname, NULL, NULL
              FROM pg_rewrite r
              JOIN pg_depend x ON x.classid = 'pg_rewrite'::regclass AND x.objid = r.oid AND x.deptype = 'n'
                              AND x.refclassid = 'pg_type'::regclass
              JOIN pg_type rt ON rt.oid = x.refobjid
              JOIN pg_namespace rn ON rn.oid = rt.typnamespace
              WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'
                AND rn.nspname NOT IN ('pg_catalog', 'information_schema')) u) AS uses,
       (SELECT json_agg(json_build_object(
                 'name', ic.relname, 'unique', i.indisunique, 'using', am.amname,
                 'columns', (SELECT json_agg(a.attname ORDER BY k.n)
                             FROM generate_series(1, i.indnatts) AS k(n)
                             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[k.n - 1]),
                 -- Beyond plain ascending column keys with default operator classes: the definition.
                 'definition', CASE WHEN i.indexprs IS NOT NULL OR i.indpred IS NOT NULL OR i.indnkeyatts <> i.indnatts
                                      OR EXISTS (SELECT 1 FROM generate_series(1, i.indnatts) AS k(n)
                                                 JOIN pg_opclass oc ON oc.oid = i.indclass[k.n - 1]
                                                 WHERE i.indoption[k.n - 1] <> 0 OR NOT oc.opcdefault)
                                      OR ic.reloptions IS NOT NULL
                                    THEN pg_get_indexdef(i.indexrelid) END)
               ORDER BY ic.relname)
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_am am ON am.oid = ic.relam
        WHERE i.indrelid = c.oid) AS indexes,
       d.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
