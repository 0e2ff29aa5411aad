-- The default operator class of each access method for each input type. An index key whose
-- operator class is the default is written without one (the model's canonical form); for
-- extension types (vector_l2_ops) only the catalog knows which one that is.
SELECT am.amname AS method,
       format_type(c.opcintype, NULL) AS type,
       c.opcname AS opclass
FROM pg_opclass c
JOIN pg_am am ON am.oid = c.opcmethod
WHERE c.opcdefault
ORDER BY 1, 2
