-- Indexes that do not back a primary-key, unique or exclusion constraint, with one entry per
-- key (key columns first, then INCLUDE columns). indoption bit 0 is DESC, bit 1 NULLS FIRST.
-- int2vector and oidvector subscripts start at 0. The collation of a column key is compared
-- with the column's; that of an expression key is read by the caller from `definition`
-- (pg_get_indexdef prints COLLATE exactly when it differs from the expression's own).
-- `partition`: the table is a partition; `inherited`: the index is a partition of its parent's
-- index (propagated, never in the model), else the partition's own.
SELECT i.indexrelid AS oid,
       i.indrelid AS table_oid,
       c.relispartition AS partition,
       EXISTS (SELECT 1 FROM pg_inherits x WHERE x.inhrelid = i.indexrelid) AS inherited,
       ic.relname AS name,
       i.indisunique AS unique,
       am.amname AS using,
       i.indnkeyatts AS key_count,
       i.indisvalid AS valid,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       to_json(ic.reloptions) AS options,
       ts.spcname AS tablespace,
       CASE WHEN i.indexprs IS NOT NULL THEN pg_get_indexdef(i.indexrelid, 0, true) END AS definition,
       (SELECT json_agg(json_build_object(
                 'column', ta.attname,
                 'expression', CASE WHEN i.indkey[k.n - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k.n, true) END,
                 'option', i.indoption[k.n - 1],
                 'opclass', CASE WHEN NOT oc.opcdefault THEN
                              CASE WHEN ocn.nspname IN ('pg_catalog', 'public') THEN oc.opcname
                                   ELSE ocn.nspname || '.' || oc.opcname END
                            END,
                 'opclass_options', to_json(ia.attoptions),
                 'collation', CASE WHEN i.indcollation[k.n - 1] <> 0 AND ta.attnum IS NOT NULL
                                    AND i.indcollation[k.n - 1] <> ta.attcollation THEN
                                CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN co.collname
                                     ELSE cn.nspname || '.' || co.collname END
                              END)
               ORDER BY k.n)
        FROM generate_series(1, i.indnatts) AS k(n)
        LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0
        LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.n
        LEFT JOIN pg_opclass oc ON oc.oid = i.indclass[k.n - 1]
        LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
        LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.n - 1]
        LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace) AS keys,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_tablespace ts ON ts.oid = ic.reltablespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_constraint x
        WHERE x.conindid = i.indexrelid AND x.conrelid = i.indrelid AND x.contype IN ('p', 'u', 'x'))
