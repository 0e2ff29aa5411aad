-- Ordinary and partitioned tables (partitions excluded) with their columns in attnum order,
-- comments and size statistics. Per-column lookups are scalar subqueries on catalog indexes
-- (run only where needed), not joins that would rebuild a hash table for every table.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       d.description AS comment,
       c.relpersistence = 'u' AS unlogged,
       to_json(c.reloptions) AS options,
       -- The TOAST table's parameters (toast.*) live in its own reloptions; a table without one keeps none.
       c.reltoastrelid = 0 AS toastless,
       (SELECT to_json(t.reloptions) FROM pg_class t WHERE t.oid = c.reltoastrelid) AS toast_options,
       c.relreplident::text AS replica_identity,
       CASE WHEN c.relreplident = 'i' THEN
         (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
          WHERE i.indrelid = c.oid AND i.indisreplident)
       END AS replica_index,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       c.reltuples::float8 AS reltuples,
       -- Size from the catalog's page counts (table, TOAST, indexes) as of the last VACUUM/ANALYZE:
       -- an estimate like reltuples, and free of the per-file system calls of pg_total_relation_size.
       ((c.relpages::float8
         + coalesce((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
         + coalesce((SELECT sum(ic.relpages) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                     WHERE i.indrelid = c.oid), 0))
        * current_setting('block_size')::float8) AS bytes,
       -- A table may have no columns at all (CREATE TABLE t (), or its last column dropped): '[]', not NULL.
       (SELECT coalesce(json_agg(json_build_object(
                 'name', a.attname,
                 'type', format_type(a.atttypid, a.atttypmod),
                 'not_null', a.attnotnull,
                 'default', CASE WHEN a.atthasdef AND a.attgenerated = '' THEN
                              (SELECT pg_get_expr(ad.adbin, ad.adrelid) FROM pg_attrdef ad
                               WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum)
                            END,
                 'generated', CASE WHEN a.atthasdef AND a.attgenerated <> '' THEN
                                (SELECT pg_get_expr(ad.adbin, ad.adrelid) FROM pg_attrdef ad
                                 WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum)
                              END,
                 -- Left out when the column is no identity column (''), as most are.
                 'identity', nullif(a.attidentity::text, ''),
                 'collation', CASE WHEN a.attcollation <> 0 THEN
                                (SELECT CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN co.collname
                                             ELSE cn.nspname || '.' || co.collname END
                                 FROM pg_collation co
                                 JOIN pg_namespace cn ON cn.oid = co.collnamespace
                                 JOIN pg_type t ON t.oid = a.atttypid
                                 WHERE co.oid = a.attcollation AND t.typcollation <> a.attcollation)
                              END,
                 -- attstorage and the type's typstorage in one text ('px': plain, the type's extended), which
                 -- the diff compares; one key instead of two per column (45,000 columns at 5,000 tables).
                 'storage', a.attstorage::text || (SELECT t.typstorage::text FROM pg_type t WHERE t.oid = a.atttypid),
                 'statistics', nullif(a.attstattarget, -1),
                 'comment', (SELECT cd.description FROM pg_description cd
                             WHERE cd.objoid = a.attrelid AND cd.classoid = 'pg_class'::regclass
                               AND cd.objsubid = a.attnum))
               ORDER BY a.attnum), '[]'::json)
        FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
