-- Partitions (at every level) with their parent, their bounds and, when partitioned themselves,
-- their key, as PostgreSQL prints them: the table kind places them under their parent. Their
-- columns, indexes, constraints and triggers are left out: those are the parent's, propagated.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       i.inhparent AS parent,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       d.description AS comment,
       -- Size as of the last VACUUM/ANALYZE (the table's and its indexes' pages), for the hazard of its drop.
       greatest(c.reltuples, 0)::float8 AS reltuples,
       ((c.relpages::float8
         + coalesce((SELECT sum(ic.relpages) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                     WHERE i.indrelid = c.oid), 0))
        * current_setting('block_size')::float8) AS bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_inherits i ON i.inhrelid = c.oid
LEFT JOIN pg_description d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relispartition
  AND c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
ORDER BY c.oid
