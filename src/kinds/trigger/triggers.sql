-- User triggers (not internal ones such as those behind foreign keys). The WHEN clause is
-- cut out of pg_get_triggerdef by the caller; tgargs is returned as hex (it holds NULs).
SELECT t.tgrelid AS table_oid,
       t.tgname AS name,
       t.tgtype AS type,
       t.tgenabled AS enabled,
       pn.nspname AS function_schema,
       p.proname AS function_name,
       t.tgnargs AS arg_count,
       encode(t.tgargs, 'hex') AS args_hex,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(t.tgattr::int2[]) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum) AS update_of,
       t.tgconstraint <> 0 AS is_constraint,
       t.tgdeferrable AS deferrable,
       t.tginitdeferred AS initially_deferred,
       CASE WHEN t.tgqual IS NOT NULL THEN pg_get_triggerdef(t.oid, true) END AS definition,
       d.description AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE NOT t.tgisinternal
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
