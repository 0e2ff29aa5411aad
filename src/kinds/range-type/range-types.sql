-- Range types with their definition: the subtype, the operator class when it is not the
-- subtype's default, the collation when it is not the subtype's, the canonical and subtype
-- difference functions, the multirange type (in the range's schema or not) and the comment.
SELECT n.nspname AS schema,
       t.typname AS name,
       format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT opc.opcdefault THEN opn.nspname END AS opclass_schema,
       CASE WHEN NOT opc.opcdefault THEN opc.opcname END AS opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN
              (SELECT CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN co.collname
                           ELSE cn.nspname || '.' || co.collname END
               FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
               WHERE co.oid = r.rngcollation)
       END AS collation,
       cp.nspname AS canonical_schema,
       cf.proname AS canonical,
       dp.nspname AS subtype_diff_schema,
       df.proname AS subtype_diff,
       mn.nspname AS multirange_schema,
       mt.typname AS multirange,
       d.description AS comment
FROM pg_range r
JOIN pg_type t ON t.oid = r.rngtypid
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type st ON st.oid = r.rngsubtype
JOIN pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_proc cf ON cf.oid = r.rngcanonical
LEFT JOIN pg_namespace cp ON cp.oid = cf.pronamespace
LEFT JOIN pg_proc df ON df.oid = r.rngsubdiff
LEFT JOIN pg_namespace dp ON dp.oid = df.pronamespace
LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid
LEFT JOIN pg_namespace mn ON mn.oid = mt.typnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
