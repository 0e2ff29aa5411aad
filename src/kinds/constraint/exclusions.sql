-- Exclusion constraints (contype 'x') of every table outside the system schemas; the caller
-- keeps those of managed tables. One element per key of the constraint's index, in order
-- (column, or expression as pg_get_indexdef prints it, and the operator from conexclop:
-- bare in pg_catalog, else OPERATOR(schema.symbol)); INCLUDE columns follow the keys.
-- definition is pg_get_constraintdef: the server's normal form the diff compares.
SELECT con.conrelid AS table_oid,
       con.conname AS name,
       am.amname AS using,
       i.indnkeyatts AS key_count,
       (SELECT json_agg(json_build_object(
                 'column', ta.attname,
                 'expression', CASE WHEN i.indkey[k.n - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k.n, true) END,
                 'operator', CASE WHEN opn.nspname = 'pg_catalog' THEN op.oprname::text
                                  WHEN op.oid IS NOT NULL THEN 'OPERATOR(' || quote_ident(opn.nspname) || '.' || op.oprname || ')' END)
               ORDER BY k.n)
        FROM generate_series(1, i.indnatts) AS k(n)
        LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0
        LEFT JOIN pg_operator op ON op.oid = con.conexclop[k.n] AND k.n <= i.indnkeyatts
        LEFT JOIN pg_namespace opn ON opn.oid = op.oprnamespace) AS elements,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       pg_get_constraintdef(con.oid, true) AS definition,
       d.description AS comment
FROM pg_constraint con
JOIN pg_index i ON i.indexrelid = con.conindid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid AND d.objsubid = 0
WHERE con.contype = 'x'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
