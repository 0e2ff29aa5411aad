-- Primary-key, unique, check and foreign-key constraints of every table outside the system
-- schemas; the caller keeps those of managed tables. Columns are in key order. index_oid (the
-- unique constraint's index) is looked up in the nulls-not-distinct query's result.
-- `partition`: the table is a partition; `inherited`: a check it has from its parent (coninhcount;
-- the keys a partition has from its parent have a conparentid, and are left out below).
SELECT con.conrelid AS table_oid,
       c.relispartition AS partition,
       con.coninhcount > 0 AS inherited,
       con.conname AS name,
       con.contype AS type,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       CASE WHEN con.contype = 'f' THEN
         (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)
       END AS ref_columns,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       con.confupdtype AS on_update,
       con.confdeltype AS on_delete,
       con.confmatchtype AS match,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS expression,
       CASE WHEN con.contype = 'u' THEN con.conindid END AS index_oid,
       d.description AS comment
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid AND con.contype = 'f'
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid AND d.objsubid = 0
WHERE con.contype IN ('p', 'u', 'c', 'f')
  AND con.conrelid <> 0
  -- A foreign key to a partitioned table has a clone per partition of it (conparentid): the one declared is the parent's.
  AND con.conparentid = 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
