-- Indexes (and so unique constraints) declared NULLS NOT DISTINCT. Run on PostgreSQL 15 and
-- later only: pg_index.indnullsnotdistinct does not exist before.
SELECT i.indexrelid AS oid
FROM pg_index i
WHERE i.indnullsnotdistinct
